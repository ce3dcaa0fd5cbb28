/**
 * A list's state lives in the URL in the API's own syntax, so a link or a
 * reload shows the same list: `?q=ana&sort=-created_at&status[eq]=open&tags=vip`.
 * Custom fields filter as `custom_fields.budget[gte]=1000`.
 */

export const OPERATORS = ['eq', 'neq', 'contains', 'starts_with', 'lt', 'lte', 'gt', 'gte', 'in', 'is_null'] as const
export type Operator = (typeof OPERATORS)[number]

export interface Filter {
  field: string
  op: Operator
  value: string
}

const FILTER_KEY = /^([a-z_][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\[([a-z_]+)\]$/

/** The `tags` parameter: records with any of these comma-separated tags. */
export const TAGS = 'tags'

export function filtersFrom(params: URLSearchParams): Filter[] {
  const out: Filter[] = []
  params.forEach((value, key) => {
    const m = FILTER_KEY.exec(key)
    if (m && (OPERATORS as readonly string[]).includes(m[2])) out.push({ field: m[1], op: m[2] as Operator, value })
  })
  return out
}

/** True for the parameters the list API itself reads (search, sort, tags and filters). */
export function isApiParam(key: string): boolean {
  if (key === 'q' || key === 'sort' || key === TAGS) return true
  const m = FILTER_KEY.exec(key)
  return !!m && (OPERATORS as readonly string[]).includes(m[2])
}

/** The query string the API is asked with (cursor and limit added by the pager). */
export function apiQuery(params: URLSearchParams): Record<string, string> {
  const q: Record<string, string> = {}
  const text = params.get('q')
  if (text) q.q = text
  const sort = params.get('sort')
  if (sort) q.sort = sort
  const tags = tagsFrom(params)
  if (tags.length) q[TAGS] = tags.join(',')
  for (const f of filtersFrom(params)) q[`${f.field}[${f.op}]`] = f.value
  return q
}

export function withFilter(params: URLSearchParams, f: Filter): URLSearchParams {
  const next = new URLSearchParams(params)
  next.set(`${f.field}[${f.op}]`, f.value)
  return next
}

export function withoutFilter(params: URLSearchParams, f: Pick<Filter, 'field' | 'op'>): URLSearchParams {
  const next = new URLSearchParams(params)
  next.delete(`${f.field}[${f.op}]`)
  return next
}

/** The tags asked for (`tags=vip,hot`), trimmed, without duplicates. */
export function tagsFrom(params: URLSearchParams): string[] {
  const raw = params.get(TAGS) ?? ''
  return [
    ...new Set(
      raw
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ]
}

/** `params` asking for exactly `tags` (none: the parameter is dropped). */
export function withTags(params: URLSearchParams, tags: string[]): URLSearchParams {
  const next = new URLSearchParams(params)
  const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))]
  if (clean.length) next.set(TAGS, clean.join(','))
  else next.delete(TAGS)
  return next
}

/** Clicking a column: ascending, then descending, then back to the default order. */
export function nextSort(current: string | null, field: string): string | null {
  if (current === field) return `-${field}`
  if (current === `-${field}`) return null
  return field
}
