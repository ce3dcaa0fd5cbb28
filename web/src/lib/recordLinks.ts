/** Where a record of each kind opens, for notifications, search hits and timeline links. */

const PAGES: Record<string, string> = {
  lead: '/leads/',
  contact: '/contacts/',
  company: '/companies/',
  project: '/projects/',
}

/** The page of a record (`lead`, `contact`, `company`, `project`, `task`); tasks open in the tasks page's dialog. */
export function recordHref(entityType: string | null | undefined, id: string | null | undefined): string | null {
  if (!entityType || !id) return null
  if (entityType === 'task') return `/tasks?task=${encodeURIComponent(id)}`
  if (entityType === 'event') return `/calendar?event=${encodeURIComponent(id)}`
  const base = PAGES[entityType]
  return base ? `${base}${id}` : null
}

/** The element id a comment has on its record's page, for links that scroll to it. */
export function commentAnchor(commentId: string): string {
  return `comment-${commentId}`
}

export interface NotificationLike {
  entity_type?: string | null
  entity_id?: string | null
  data?: Record<string, unknown> | null
}

/**
 * Where a notification leads: its record's page, scrolled to the comment
 * when it is about one (a mention); null when it names no record.
 */
export function notificationHref(n: NotificationLike): string | null {
  const href = recordHref(n.entity_type, n.entity_id)
  if (!href) return null
  // A reminder of an event opens the calendar on that occurrence.
  const occurrence = n.data?.occurrence_start
  if (n.entity_type === 'event' && typeof occurrence === 'string') return `${href}&at=${encodeURIComponent(occurrence)}`
  const comment = n.data?.comment_id
  return typeof comment === 'string' && n.entity_type !== 'task' ? `${href}#${commentAnchor(comment)}` : href
}
