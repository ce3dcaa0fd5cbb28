/**
 * The tasks page's "mine / everyone" switch, kept in the URL. "Mine" is the
 * assignee filter; "everyone" is an explicit `scope=everyone`, so an address
 * without either (opening the page plainly) can default to mine without
 * undoing a choice of everyone.
 */
const ASSIGNEE = 'assignee_id[eq]'
export const SCOPE = 'scope'
export const EVERYONE = 'everyone'

export function isMine(params: URLSearchParams, me: string): boolean {
  return !!me && params.get(ASSIGNEE) === me
}

/** True when the address says nothing about whose tasks to show: the page then shows mine. */
export function needsDefaultScope(params: URLSearchParams): boolean {
  // A saved view says whose tasks it shows by its own filters.
  return !params.has(ASSIGNEE) && params.get(SCOPE) !== EVERYONE && !params.has('view')
}

export function withScope(params: URLSearchParams, me: string, mine: boolean): URLSearchParams {
  const next = new URLSearchParams(params)
  if (mine) {
    next.set(ASSIGNEE, me)
    next.delete(SCOPE)
  } else {
    next.delete(ASSIGNEE)
    next.set(SCOPE, EVERYONE)
  }
  return next
}
