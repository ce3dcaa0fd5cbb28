/**
 * The board's filters, kept in the URL (`/pipeline?owner=me&tags=vip&q=acme`)
 * so a reload or a shared link shows the same board, and sent to
 * `GET /pipelines/{id}/board` as `assigned_to`, `tags` and `q`.
 */
import { tagsFrom, withTags } from './listQuery'

export interface BoardFilters {
  /** `me`, a member's id, or empty for everyone's deals. */
  owner: string
  tags: string[]
  q: string
}

export function boardFilters(params: URLSearchParams): BoardFilters {
  return { owner: params.get('owner') ?? '', tags: tagsFrom(params), q: (params.get('q') ?? '').trim() }
}

export function hasFilters(f: BoardFilters): boolean {
  return !!f.owner || f.tags.length > 0 || !!f.q
}

/** The board request's query parameters for these filters. */
export function boardQuery(f: BoardFilters): { assigned_to?: string; tags?: string; q?: string } {
  return {
    ...(f.owner ? { assigned_to: f.owner } : {}),
    ...(f.tags.length ? { tags: f.tags.join(',') } : {}),
    ...(f.q ? { q: f.q } : {}),
  }
}

/** The same filters as `/leads` list parameters, for paging a column further. */
export function leadListQuery(f: BoardFilters, me: string): Record<string, string> {
  const owner = f.owner === 'me' ? me : f.owner
  return {
    ...(owner ? { 'assigned_to[eq]': owner } : {}),
    ...(f.tags.length ? { tags: f.tags.join(',') } : {}),
    ...(f.q ? { q: f.q } : {}),
  }
}

/** `params` with these filters (empty ones dropped), other parameters kept. */
export function withBoardFilters(params: URLSearchParams, f: BoardFilters): URLSearchParams {
  const next = withTags(params, f.tags)
  if (f.owner) next.set('owner', f.owner)
  else next.delete('owner')
  if (f.q.trim()) next.set('q', f.q.trim())
  else next.delete('q')
  return next
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

interface LeadLike {
  title?: string | null
  company_name?: string | null
  email?: string | null
  assigned_to?: string | null
  tags?: string[] | null
}

/**
 * Whether the board, filtered so, would show `lead` (to tell whether a lead
 * just created will appear, or the filters must give way for it). Words are
 * matched as the server's search does: each a prefix of some word of the
 * title, company or email, ignoring case and accents.
 */
export function shownUnder(f: BoardFilters, lead: LeadLike, me: string): boolean {
  const owner = f.owner === 'me' ? me : f.owner
  if (owner && lead.assigned_to !== owner) return false
  if (f.tags.length && !f.tags.some((t) => (lead.tags ?? []).includes(t))) return false
  if (f.q) {
    const words = fold(`${lead.title ?? ''} ${lead.company_name ?? ''} ${lead.email ?? ''}`).split(/[^\p{L}\p{N}]+/u)
    if (
      !fold(f.q)
        .split(/\s+/)
        .filter(Boolean)
        .every((w) => words.some((h) => h.startsWith(w)))
    )
      return false
  }
  return true
}
