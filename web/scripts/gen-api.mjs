// Generates src/api/schema.d.ts from the server's OpenAPI document.
//
//   node scripts/gen-api.mjs [--out FILE] [--check]
//
// The document comes from `lovedcrm openapi` (the debug binary by default,
// LOVEDCRM_BIN to override). Several endpoints share an operationId ("list",
// "create", …), which OpenAPI forbids and which would make openapi-typescript
// merge their types, so ids are made unique (`<tag>_<id>`) before generating.
// --check regenerates into a temporary file and fails when the committed
// schema differs.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const web = path.resolve(here, '..')
const bin = process.env.LOVEDCRM_BIN ?? path.resolve(web, '../target/debug/lovedcrm')
const args = process.argv.slice(2)
const check = args.includes('--check')
const committed = path.join(web, 'src/api/schema.d.ts')

const doc = JSON.parse(execFileSync(bin, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 }))
const seen = new Map()
for (const item of Object.values(doc.paths ?? {})) {
  for (const op of Object.values(item)) {
    if (!op || typeof op !== 'object' || !op.operationId) continue
    const tag = String(op.tags?.[0] ?? 'api').replace(/\W+/g, '_')
    let id = `${tag}_${op.operationId}`
    const n = seen.get(id) ?? 0
    seen.set(id, n + 1)
    if (n > 0) id = `${id}_${n + 1}`
    op.operationId = id
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), 'lovedcrm-api-'))
try {
  const json = path.join(check ? tmp : web, 'openapi.json')
  writeFileSync(json, JSON.stringify(doc, null, 2))
  const out = check ? path.join(tmp, 'schema.d.ts') : committed
  execFileSync(path.join(web, 'node_modules/.bin/openapi-typescript'), [json, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (check) {
    if (readFileSync(out, 'utf8') !== readFileSync(committed, 'utf8')) {
      console.error("src/api/schema.d.ts is out of date with the server's OpenAPI document: run `npm run gen:api` in web/.")
      process.exit(1)
    }
    console.log('src/api/schema.d.ts is up to date')
  } else {
    console.log(`wrote ${path.relative(web, out)}`)
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
