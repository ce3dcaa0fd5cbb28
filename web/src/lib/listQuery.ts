/**
 * A list's state lives in the URL in the API's own syntax, so a link or a
 * reload shows the same list: `?q=ana&sort=-created_at&status[eq]=open`.
 */

export const OPERATORS = ['eq', 'neq', 'contains', 'starts_with', 'lt', 'lte', 'gt', 'gte', 'in', 'is_null'] as const
export type Operator = (typeof OPERATORS)[number]

export interface Filter {
  field: string
  op: Operator
  value: string
}

const FILTER_KEY = /^([a-z_][a-z0-9_]*)\[([a-z_]+)\]$/

export function filtersFrom(params: URLSearchParams): Filter[] {
  const out: Filter[] = []
  params.forEach((value, key) => {
    const m = FILTER_KEY.exec(key)
    if (m && (OPERATORS as readonly string[]).includes(m[2])) out.push({ field: m[1], op: m[2] as Operator, value })
  })
  return out
}

/** The query string the API is asked with (cursor and limit added by the pager). */
export function apiQuery(params: URLSearchParams): Record<string, string> {
  const q: Record<string, string> = {}
  const text = params.get('q')
  if (text) q.q = text
  const sort = params.get('sort')
  if (sort) q.sort = sort
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

/** Clicking a column: ascending, then descending, then back to the default order. */
export function nextSort(current: string | null, field: string): string | null {
  if (current === field) return `-${field}`
  if (current === `-${field}`) return null
  return field
}
