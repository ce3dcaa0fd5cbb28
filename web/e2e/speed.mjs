// Speed checks of the web app in a real browser (issue 4), NOT part of `npm run e2e`:
//
//   node e2e/speed.mjs            (after `npm run build`; LOVEDCRM_BIN picks the server binary)
//
// A throwaway PostgreSQL (scripts/pg-cluster.sh) gets one organization with 1,000,000 contacts
// and a 10,000-lead board from scripts/scale/seed.sql (the scale check's bulk seed: SQL is the
// fastest honest path — the rows are the same ones the API would write). Then Chromium:
//   1. scrolls the contacts list through many pages, recording every frame (requestAnimationFrame
//      deltas) and every long task (PerformanceObserver 'longtask');
//   2. opens the board of the 10,000-lead pipeline and times it until every column shows cards;
//   3. drags cards between columns with the mouse and times pointer-up → card in its new column.
// Prints a markdown summary for BENCHMARKS.md ("Web app in the browser").
import { execFileSync } from 'node:child_process'
import { mkdtempSync, chmodSync, rmSync } from 'node:fs'
import { tmpdir, cpus, totalmem } from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { launchBrowser, repoDir, webDir } from './harness.mjs'
import { sessionOf, signedInContext } from './flows/session.mjs'

const SCROLL_PAGES = Number(process.env.SCROLL_PAGES ?? 30)
const DROPS = Number(process.env.DROPS ?? 8)
const bin = process.env.LOVEDCRM_BIN ?? path.join(repoDir, 'target/debug/lovedcrm')

const work = mkdtempSync(path.join(tmpdir(), 'lovedcrm-speed-'))
chmodSync(work, 0o755)
let server
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts })

function stats(values) {
  const v = [...values].sort((a, b) => a - b)
  const q = (p) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))] : 0)
  return { n: v.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: v.at(-1) ?? 0 }
}
const ms = (x) => `${x.toFixed(1)}`

/** Installed in every page: long tasks since load, and a frame recorder. */
function instrument() {
  window.__long = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  window.__frames = null
  window.__record = () => {
    window.__frames = []
    let last = performance.now()
    const tick = (now) => {
      if (!window.__frames) return
      window.__frames.push(now - last)
      last = now
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  }
  window.__stop = () => {
    const f = window.__frames
    window.__frames = null
    return f
  }
}

try {
  // --- PostgreSQL and the server ---------------------------------------------------------------
  const env = Object.fromEntries(
    sh('bash', [path.join(repoDir, 'scripts/pg-cluster.sh'), 'start', work])
      .split('\n')
      .map((l) => /^export (\w+)=(.*)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2].replace(/^['"]|['"]$/g, '')]),
  )
  const psql = (url, ...args) => sh(path.join(env.LOVEDCRM_TEST_PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, ...args])
  const port = env.LOVEDCRM_TEST_PG_PORT
  psql(env.LOVEDCRM_TEST_PG_ADMIN_URL, '-c', 'CREATE DATABASE speed OWNER lovedcrm_app')
  const appPort = 20000 + Math.floor(Math.random() * 20000)
  const base = `http://127.0.0.1:${appPort}`
  server = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      DATABASE_URL: `postgres://lovedcrm_app:lovedcrm_app@127.0.0.1:${port}/speed`,
      LOVEDCRM_LISTEN: `127.0.0.1:${appPort}`,
      LOVEDCRM_DATA_DIR: work,
      LOVEDCRM_WEB_DIR: path.join(webDir, 'dist'),
      LOVEDCRM_LOG: 'warn',
      LOVEDCRM_TOKEN_KEY: 'speed-check-token-key-0123456789abcdef',
      LOVEDCRM_ENCRYPTION_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break
    } catch {}
    if (i > 600) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  psql(`postgres://postgres@127.0.0.1:${port}/speed`, '-c', 'ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF')
  const reg = await (
    await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'speed@example.com', password: 'correct horse battery', name: 'Speed Check' }),
    })
  ).json()
  const signed = sessionOf(reg)
  const auth = { authorization: `Bearer ${reg.access_token}`, 'x-org-id': signed.org }
  const pipeline = (await (await fetch(`${base}/api/v1/pipelines`, { headers: auth })).json()).data[0]
  let started = Date.now()
  psql(
    `postgres://postgres@127.0.0.1:${port}/speed`,
    '-v',
    `org=${signed.org}`,
    '-v',
    `usr=${reg.user.id}`,
    '-v',
    `pipeline=${pipeline.id}`,
    '-f',
    path.join(repoDir, 'scripts/scale/seed.sql'),
  )
  console.error(`seeded 1,000,000 contacts, 10,000 leads and 100,000 communications in ${((Date.now() - started) / 1000).toFixed(0)} s`)

  // --- The browser ------------------------------------------------------------------------------
  const browser = await launchBrowser()
  const newContext = (o = {}) => browser.newContext({ baseURL: base, locale: 'en-US', viewport: { width: 1440, height: 900 }, ...o })
  const ctx = await signedInContext(newContext, signed)
  await ctx.addInitScript(instrument)
  const page = await ctx.newPage()
  const out = []

  // 1. Contacts list: scroll through SCROLL_PAGES pages of 100 rows at a steady ~2,400 px/s.
  await page.goto('/contacts')
  await page.getByTestId('list-row').first().waitFor({ timeout: 60_000 })
  await page.waitForTimeout(1000)
  const total = await page.getByTestId('list-total').textContent()
  const scroll = await page.evaluate(
    async ({ pages }) => {
      const body = document.querySelector('[data-testid="list-body"]')
      const longBefore = window.__long.length
      const target = pages * 100 * 44
      const t0 = performance.now()
      let waits = 0
      window.__record()
      await new Promise((done) => {
        const step = () => {
          if (body.scrollTop >= target || performance.now() - t0 > 120_000) return done()
          const before = body.scrollTop
          body.scrollTop += 40
          if (body.scrollTop === before) waits++ // at the loaded end: the next page is on its way
          requestAnimationFrame(step)
        }
        requestAnimationFrame(step)
      })
      const frames = window.__stop()
      const rows = document.querySelectorAll('[data-testid="list-row"]').length
      return {
        frames,
        long: window.__long.slice(longBefore),
        seconds: (performance.now() - t0) / 1000,
        scrolled: body.scrollTop,
        waits,
        rows,
      }
    },
    { pages: SCROLL_PAGES },
  )
  const f = stats(scroll.frames)
  const lt = stats(scroll.long.map((l) => l.duration))
  out.push(
    `| contacts list (${total?.trim()}), scrolled ${(scroll.scrolled / 44).toFixed(0)} rows = ${SCROLL_PAGES} pages of 100 in ${scroll.seconds.toFixed(1)} s | ${f.n} frames: p50 ${ms(f.p50)} / p95 ${ms(f.p95)} / p99 ${ms(f.p99)} / max ${ms(f.max)} ms; ${scroll.frames.filter((x) => x > 50).length} frames over 50 ms | ${lt.n} long tasks, longest ${ms(lt.max)} ms, ${ms(scroll.long.reduce((s, l) => s + l.duration, 0))} ms in total | ${scroll.rows} rows in the DOM at the end; ${scroll.waits} frames waited at the loaded end for the next page |`,
  )
  console.error(out.at(-1))

  // 2. Board of the 10,000-lead pipeline: navigation → every column shows cards.
  const boards = []
  for (let i = 0; i < 3; i++) {
    const p = await ctx.newPage()
    await p.goto(`/pipeline/${pipeline.id}`)
    const shown = await p.waitForFunction(
      () => {
        const cols = [...document.querySelectorAll('[data-testid="board-column"]')]
        const open = cols.slice(0, 4)
        return open.length === 4 && open.every((c) => c.querySelector('[data-testid="lead-card"]')) ? performance.now() : null
      },
      null,
      { polling: 'raf', timeout: 60_000 },
    )
    const r = await p.evaluate(() => {
      const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/board'))
      return {
        long: window.__long.map((l) => l.duration),
        api: api ? api.responseEnd - api.startTime : null,
        cards: document.querySelectorAll('[data-testid="lead-card"]').length,
        count: [...document.querySelectorAll('[data-testid="stage-count"]')].map((e) => e.textContent).join(' + '),
      }
    })
    boards.push({ shown: await shown.jsonValue(), ...r })
    if (i < 2) await p.close()
    else boards.page = p
  }
  for (const b of boards)
    console.error(
      `board: shown ${ms(b.shown)} ms after navigation; /board API ${b.api && ms(b.api)} ms; ${b.cards} cards in the DOM; counts ${b.count}; long tasks ${b.long.map(ms).join(', ')}`,
    )
  const bs = stats(boards.map((b) => b.shown))
  const blong = Math.max(0, ...boards.flatMap((b) => b.long))
  out.push(
    `| board of the 10,000-lead pipeline (${boards[0].count}), navigation → every column shows cards, 3 loads | p50 ${ms(bs.p50)} ms, max ${ms(bs.max)} ms (the /board API answer: ${boards.map((b) => ms(b.api ?? 0)).join(', ')} ms) | longest task ${ms(blong)} ms | ${boards[0].cards} cards in the DOM (columns are virtualized) |`,
  )
  console.error(out.at(-1))

  // 3. Drops: pointer-up → the card in its new column (optimistic), and → the server's answer.
  const bp = boards.page
  const drops = []
  for (let i = 0; i < DROPS; i++) {
    const from = bp.locator('[data-testid="board-column"]').nth(i % 3)
    const to = bp.locator('[data-testid="board-column"]').nth((i % 3) + 1)
    const card = from.locator('[data-testid="lead-card"]').first()
    const id = await card.getAttribute('data-lead-id')
    const toName = await to.getAttribute('data-stage-name')
    const a = await card.boundingBox()
    const b = await to.boundingBox()
    await bp.evaluate(
      ({ id, toName }) => {
        window.__drop = { id, toName }
        window.addEventListener('pointerup', () => (window.__drop.up = performance.now()), { capture: true, once: true })
        const obs = new MutationObserver(() => {
          const col = document.querySelector(`[data-testid="board-column"][data-stage-name="${toName}"]`)
          if (col?.querySelector(`[data-lead-id="${id}"]`) && window.__drop.up && !window.__drop.shown) {
            window.__drop.shown = performance.now()
            obs.disconnect()
          }
        })
        obs.observe(document.body, { subtree: true, childList: true, attributes: true })
      },
      { id, toName },
    )
    const saved = bp.waitForResponse((r) => r.url().includes(`/leads/${id}/stage`) && r.request().method() === 'PATCH')
    const sx = a.x + a.width / 2
    const sy = a.y + 20
    await bp.mouse.move(sx, sy)
    await bp.mouse.down()
    for (let s = 1; s <= 4; s++) await bp.mouse.move(sx + s * 3, sy + s * 2)
    for (let s = 1; s <= 15; s++) {
      await bp.mouse.move(sx + ((b.x + b.width / 2 - sx) * s) / 15, sy + ((b.y + 120 - sy) * s) / 15)
      await bp.waitForTimeout(16)
    }
    await bp.waitForTimeout(100)
    await bp.mouse.up()
    const shownAfter = await bp.waitForFunction(() => (window.__drop.shown ? window.__drop.shown - window.__drop.up : null), null, {
      polling: 'raf',
      timeout: 10_000,
    })
    const res = await saved
    const confirmed = await bp.evaluate(() => performance.now() - window.__drop.up)
    drops.push({ shown: await shownAfter.jsonValue(), confirmed, status: res.status() })
    await bp.waitForTimeout(400)
  }
  for (const d of drops)
    console.error(`drop: shown ${ms(d.shown)} ms after pointer-up; server answered ${d.status} by ${ms(d.confirmed)} ms`)
  const ds = stats(drops.map((d) => d.shown))
  const dc = stats(drops.map((d) => d.confirmed))
  out.push(
    `| card drop on that board, ${drops.length} mouse drags between columns | pointer-up → card shown in its new column: p50 ${ms(ds.p50)} ms, max ${ms(ds.max)} ms | — | pointer-up → server's answer (${[...new Set(drops.map((d) => d.status))].join(', ')}): p50 ${ms(dc.p50)} ms, max ${ms(dc.max)} ms |`,
  )
  console.error(out.at(-1))
  await browser.close()

  console.log(
    `\nMachine: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; server: ${bin}; Chromium ${browser.version?.() ?? ''} headless\n`,
  )
  console.log('| check | frames / time | long tasks | notes |')
  console.log('| --- | --- | --- | --- |')
  for (const line of out) console.log(line)
} finally {
  server?.kill('SIGTERM')
  try {
    sh('bash', [path.join(repoDir, 'scripts/pg-cluster.sh'), 'stop', work])
  } catch {}
  rmSync(work, { recursive: true, force: true })
}
