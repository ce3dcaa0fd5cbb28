/**
 * Saved views: a list's filters, sort and columns under a name. The query is
 * the list's own query string (`tags=vip&sort=-created_at&status[eq]=open`),
 * so applying a view is putting it in the URL; the URL names the view it came
 * from with `view=<id>` so the page can say which one is open and whether it
 * was changed since.
 */
import { isApiParam } from './listQuery'

export const VIEW_PARAM = 'view'

export interface SavedView {
  id: string
  name: string
  entity_type: string
  query: string
  columns: string[]
  shared: boolean
  created_by?: string | null
  version: number
}

/** The part of the page's address a view keeps: search, sort, tags and filters, in their order. */
export function viewQuery(params: URLSearchParams): string {
  const out = new URLSearchParams()
  params.forEach((value, key) => {
    if (isApiParam(key) && value !== '') out.append(key, value)
  })
  return out.toString()
}

/** Two queries are the same view whatever the order of their parameters. */
export function sameQuery(a: string, b: string): boolean {
  const canon = (q: string) =>
    [...new URLSearchParams(q).entries()]
      .filter(([k, v]) => isApiParam(k) && v !== '')
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join('&')
  return canon(a) === canon(b)
}

/** The address that opens `view`: its query, and its id. */
export function paramsForView(view: Pick<SavedView, 'id' | 'query'>): URLSearchParams {
  const next = new URLSearchParams(view.query)
  next.set(VIEW_PARAM, view.id)
  return next
}

/**
 * The columns to hide for a view that shows `shown` (in that order), among
 * `all`: none when the view names no columns (the list's defaults), never
 * the first (the record's name).
 */
export function hiddenFor(all: string[], shown: string[]): string[] {
  if (shown.length === 0) return []
  return all.filter((key, i) => i > 0 && !shown.includes(key))
}

/** The columns shown when `hidden` are hidden, in the list's order: what a view saves. */
export function shownColumns(all: string[], hidden: string[]): string[] {
  return all.filter((key, i) => i === 0 || !hidden.includes(key))
}

/** True when the page no longer shows what `view` saved (other filters or sort, other columns). */
export function isModified(view: SavedView, params: URLSearchParams, all: string[], hidden: string[]): boolean {
  if (!sameQuery(view.query, viewQuery(params))) return true
  const saved = view.columns.length ? view.columns : all
  const now = shownColumns(all, hidden)
  return saved.filter((c) => all.includes(c)).join(',') !== now.join(',')
}

/** My own views and the team's shared ones (mine first within each), by name. */
export function groupViews<V extends SavedView>(views: V[], me: string): { mine: V[]; shared: V[] } {
  const byName = (a: V, b: V) => a.name.localeCompare(b.name)
  return {
    mine: views.filter((v) => !v.shared && v.created_by === me).sort(byName),
    shared: views.filter((v) => v.shared).sort(byName),
  }
}

/** Whether `me` may change or delete `view`: its creator, or an admin for a shared one. */
export function mayChange(view: SavedView, me: string, isAdmin: boolean): boolean {
  return view.created_by === me || (view.shared && isAdmin)
}
