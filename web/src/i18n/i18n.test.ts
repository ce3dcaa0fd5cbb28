import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import en from './locales/en'
import ptBR from './locales/pt-BR'
import es from './locales/es'

type Tree = { [k: string]: string | Tree }
const PLURAL = /_(zero|one|two|few|many|other)$/

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

/** Keys without plural suffixes: `lists.total_one` and `lists.total_other` are one key. */
function baseKeys(tree: Tree): Set<string> {
  return new Set([...flatten(tree).keys()].map((k) => k.replace(PLURAL, '')))
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()
}

const languages: [string, Tree][] = [
  ['pt-BR', ptBR],
  ['es', es],
]

describe('translations', () => {
  const source = baseKeys(en)

  it.each(languages)('%s has every English key and no stray ones', (_, tree) => {
    const keys = baseKeys(tree)
    expect([...source].filter((k) => !keys.has(k))).toEqual([])
    expect([...keys].filter((k) => !source.has(k))).toEqual([])
  })

  it.each([['en', en] as [string, Tree], ...languages])('%s has every plural form its language needs', (lang, tree) => {
    const flat = flatten(tree)
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
    const plurals = new Set([...flat.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))
    for (const key of plurals) {
      for (const c of categories) {
        if (c === 'zero' || c === 'two' || c === 'few') continue
        expect(flat.has(`${key}_${c}`), `${lang}: ${key}_${c}`).toBe(true)
      }
    }
  })

  it.each(languages)('%s keeps the same {{placeholders}} as English', (_, tree) => {
    const source = flatten(en)
    for (const [key, value] of flatten(tree)) {
      const english = source.get(key) ?? source.get(key.replace(PLURAL, '_other'))
      expect(placeholders(value), key).toEqual(placeholders(english ?? ''))
    }
  })

  it.each(languages)('%s has no empty strings', (_, tree) => {
    for (const [key, value] of flatten(tree)) expect(value.trim(), key).not.toBe('')
  })

  it('every literal key used in the code exists in English', () => {
    const root = path.resolve(__dirname, '..')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name)
        if (statSync(full).isDirectory()) walk(full)
        else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) files.push(full)
      }
    }
    walk(root)
    const used = new Set<string>()
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1])
      for (const m of text.matchAll(/'((?:nav|user|timeline|common)\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1])
    }
    const known = baseKeys(en)
    expect([...used].filter((k) => !known.has(k))).toEqual([])
  })
})
