/**
 * Bulk edit: one change sent for many records (`POST /{list}/bulk`), each
 * record answered on its own. The answer is turned into what the page shows:
 * how many changed, and every refused row with its name and why.
 */

export interface BulkProblem {
  code?: string
  title?: string
  detail?: string
  errors?: { field: string; message: string }[]
  [k: string]: unknown
}

export interface BulkRowResult {
  id: string
  status: number
  version?: number | null
  error?: BulkProblem | null
}

export interface BulkAnswer {
  updated: number
  results: BulkRowResult[]
}

/** Why a row was refused, in words the page translates. */
export type BulkReason = 'conflict' | 'forbidden' | 'notFound' | 'invalid' | 'other'

export interface BulkFailure {
  id: string
  name: string
  status: number
  reason: BulkReason
  error: BulkProblem | null
}

export interface BulkSummary {
  updated: number
  failed: BulkFailure[]
  /** Refused rows by reason, for one line such as "2 changed by someone else, 1 not allowed". */
  byReason: Partial<Record<BulkReason, number>>
}

export function reasonOf(status: number): BulkReason {
  if (status === 412 || status === 409) return 'conflict'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'notFound'
  if (status === 400 || status === 422) return 'invalid'
  return 'other'
}

/** The answer as the page shows it; rows are named from `names` (id → title), in the order sent. */
export function summarizeBulk(answer: BulkAnswer, names: Map<string, string>): BulkSummary {
  const failed: BulkFailure[] = []
  const byReason: Partial<Record<BulkReason, number>> = {}
  for (const r of answer.results) {
    if (r.status >= 200 && r.status < 300) continue
    const reason = reasonOf(r.status)
    byReason[reason] = (byReason[reason] ?? 0) + 1
    failed.push({ id: r.id, name: names.get(r.id) ?? r.id, status: r.status, reason, error: r.error ?? null })
  }
  const ok = answer.results.filter((r) => r.status >= 200 && r.status < 300).length
  return { updated: Math.max(answer.updated ?? 0, ok), failed, byReason }
}

/** The most rows one request may carry; more are sent in several. */
export const BULK_MAX = 500

/** `items` in chunks the API accepts. */
export function chunks<T>(items: T[], size = BULK_MAX): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Several answers (one per chunk) as one. */
export function mergeAnswers(answers: BulkAnswer[]): BulkAnswer {
  return {
    updated: answers.reduce((n, a) => n + (a.updated ?? 0), 0),
    results: answers.flatMap((a) => a.results),
  }
}

/** What a bulk edit changes: a field of the record, a custom field, or (leads) the stage. */
export type BulkChange =
  { kind: 'field'; field: string; value: unknown } | { kind: 'custom'; key: string; value: unknown } | { kind: 'stage'; stageId: string }

/** The request body's `patch` (or, for a move, `stage_id` alone: an empty patch would be a second write). */
export function bulkBody(change: BulkChange): { patch?: Record<string, unknown>; stage_id?: string } {
  if (change.kind === 'stage') return { stage_id: change.stageId }
  if (change.kind === 'custom') return { patch: { custom_fields: { [change.key]: change.value } } }
  return { patch: { [change.field]: change.value } }
}
