/**
 * Names of records by id, for showing a link (a contact's company, a task's
 * project) without loading whole lists: the ids asked for within a few
 * milliseconds go out as one `GET /{kind}?id[in]=a,b,c` per 100 ids, and each
 * name is cached under its own query key.
 */
import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import { useCurrentOrgId } from './session'

export type RecordKind = 'companies' | 'contacts' | 'projects' | 'leads'
export interface Named {
  id: string
  name: string
  /** A second line for pickers (a contact's email, a company's domain). */
  hint?: string | null
}

/** The API's `in` filter takes at most 100 values. */
const CHUNK = 100

type Row = { id: string; name?: string; title?: string; email?: string | null; domain?: string | null; company_name?: string | null }

function named(kind: RecordKind, r: Row): Named {
  const hint = kind === 'contacts' ? r.email : kind === 'companies' ? r.domain : kind === 'leads' ? r.company_name : null
  return { id: r.id, name: (kind === 'leads' ? r.title : r.name) ?? '', hint: hint ?? null }
}

async function list(kind: RecordKind, query: Record<string, string | number>): Promise<Named[]> {
  const page = unwrap(
    await api.GET(`/api/v1/${kind}` as '/api/v1/companies', { params: { query: query as { limit: number } } }),
  ) as unknown as { data: Row[] }
  return page.data.map((r) => named(kind, r))
}

interface Batch {
  kind: RecordKind
  waiters: Map<string, { resolve: (n: Named | null) => void; reject: (e: unknown) => void }[]>
}
const batches = new Map<string, Batch>()

async function flush(key: string) {
  const batch = batches.get(key)
  batches.delete(key)
  if (!batch) return
  const ids = [...batch.waiters.keys()]
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    try {
      const found = new Map((await list(batch.kind, { 'id[in]': chunk.join(','), limit: CHUNK })).map((n) => [n.id, n]))
      for (const id of chunk) for (const w of batch.waiters.get(id) ?? []) w.resolve(found.get(id) ?? null)
    } catch (e) {
      for (const id of chunk) for (const w of batch.waiters.get(id) ?? []) w.reject(e)
    }
  }
}

/** One record's name, fetched together with the others asked for in the same moment; null when it is gone or hidden. */
export function loadName(org: string, kind: RecordKind, id: string): Promise<Named | null> {
  const key = `${org}|${kind}`
  let batch = batches.get(key)
  if (!batch) {
    batch = { kind, waiters: new Map() }
    batches.set(key, batch)
    setTimeout(() => void flush(key), 5)
  }
  const waiters = batch.waiters.get(id) ?? []
  batch.waiters.set(id, waiters)
  return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
}

export function nameKey(org: string | null, kind: RecordKind, id: string) {
  return [org, 'name', kind, id] as const
}

/** Remembers names already at hand (search results, a saved record) so showing them needs no request. */
export function rememberNames(qc: QueryClient, org: string | null, kind: RecordKind, rows: Named[]) {
  for (const r of rows) qc.setQueryData(nameKey(org, kind, r.id), r)
}

export function useRecordName(kind: RecordKind, id: string | null | undefined) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: nameKey(org, kind, id ?? ''),
    queryFn: () => loadName(org!, kind, id!),
    enabled: !!org && !!id,
    staleTime: 5 * 60_000,
  })
}

/** Records matching what was typed (the list endpoint's `q` prefix search), by name; the first ones when nothing is typed. */
export function useRecordSearch(kind: RecordKind, term: string, enabled: boolean, limit = 20) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useQuery({
    queryKey: [org, 'picker', kind, term],
    queryFn: async () => {
      const rows = await list(kind, { limit, sort: kind === 'leads' ? 'title' : 'name', ...(term ? { q: term } : {}) })
      rememberNames(qc, org, kind, rows)
      return rows
    },
    enabled: !!org && enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}
