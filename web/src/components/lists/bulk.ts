import { api } from '@/api/client'
import { unwrap } from '@/api/problem'

export type BulkResource = 'leads' | 'contacts' | 'companies' | 'tasks' | 'projects'
export interface BulkRow {
  id: string
  version: number
  tags?: string[]
}

/** Runs `work` over `items`, at most `limit` at a time; resolves how many succeeded and failed. */
export async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<{ ok: number; failed: number }> {
  let ok = 0
  let failed = 0
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      try {
        await work(item)
        ok++
      } catch {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return { ok, failed }
}

const one = (resource: BulkResource) => `/api/v1/${resource}/{id}` as '/api/v1/leads/{id}'

export function deleteRows(resource: BulkResource, rows: BulkRow[]) {
  return runPool(rows, 4, async (row) => unwrap(await api.DELETE(one(resource), { params: { path: { id: row.id } } })))
}

/** Adds `tag` to each row, keeping its other tags; `If-Match` so a concurrent edit is not overwritten. */
export function tagRows(resource: BulkResource, rows: BulkRow[], tag: string) {
  return runPool(rows, 4, async (row) => {
    const tags = [...new Set([...(row.tags ?? []), tag])]
    return unwrap(
      await api.PATCH(one(resource), {
        params: { header: { 'If-Match': `"${row.version}"` }, path: { id: row.id } },
        body: { tags },
      }),
    )
  })
}
