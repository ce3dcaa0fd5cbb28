/**
 * "Back" on a record page goes where the user came from — the board with its
 * filters, a list with its view, a contact, the tasks — not always to one
 * fixed page. The shell remembers, for each page opened, the page it was
 * opened from (kept for the tab's session, so a reload keeps it too).
 */

export interface BackTarget {
  to: string
  /** i18n key naming where it goes. */
  label: string
}

const SECTIONS: [RegExp, string][] = [
  [/^\/pipeline(\/|$)/, 'nav.pipeline'],
  [/^\/leads\/?$/, 'nav.leads'],
  [/^\/leads\/[^/]+/, 'back.lead'],
  [/^\/contacts\/?$/, 'nav.contacts'],
  [/^\/contacts\/[^/]+/, 'back.contact'],
  [/^\/companies\/?$/, 'nav.companies'],
  [/^\/companies\/[^/]+/, 'back.company'],
  [/^\/projects\/?$/, 'nav.projects'],
  [/^\/projects\/[^/]+/, 'back.project'],
  [/^\/tasks\/?$/, 'nav.tasks'],
  [/^\/?$/, 'nav.dashboard'],
]

/**
 * Where "back" leads from a page opened from `from` (a path with its query);
 * `fallback` when it is unknown or not a page worth going back to.
 */
export function backTarget(from: string | null | undefined, fallback: BackTarget): BackTarget {
  if (!from) return fallback
  const path = from.split(/[?#]/)[0]
  for (const [re, label] of SECTIONS) if (re.test(path)) return { to: from, label }
  return fallback
}

const KEY = 'lovedcrm.cameFrom'
const MAX = 50

function read(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, string>
  } catch {
    return {}
  }
}

/** Remembers that `path` was opened from `from` (the latest 50 pages). */
export function rememberCameFrom(path: string, from: string) {
  if (typeof sessionStorage === 'undefined') return
  const all = read()
  delete all[path]
  all[path] = from
  const keys = Object.keys(all)
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX))) delete all[k]
  sessionStorage.setItem(KEY, JSON.stringify(all))
}

export function cameFrom(path: string): string | null {
  if (typeof sessionStorage === 'undefined') return null
  return read()[path] ?? null
}
