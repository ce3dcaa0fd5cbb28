import { describe, expect, it } from 'vitest'
import { notificationHref, recordHref } from './recordLinks'

describe('where a notification leads', () => {
  it('opens the record it is about', () => {
    expect(notificationHref({ entity_type: 'lead', entity_id: 'l1', data: {} })).toBe('/leads/l1')
    expect(notificationHref({ entity_type: 'contact', entity_id: 'c1' })).toBe('/contacts/c1')
    expect(notificationHref({ entity_type: 'company', entity_id: 'co1', data: null })).toBe('/companies/co1')
    expect(notificationHref({ entity_type: 'project', entity_id: 'p1' })).toBe('/projects/p1')
  })

  it('scrolls to the comment of a mention', () => {
    expect(notificationHref({ entity_type: 'lead', entity_id: 'l1', data: { comment_id: 'k9', excerpt: 'hi' } })).toBe(
      '/leads/l1#comment-k9',
    )
  })

  it('opens an event’s reminder on its occurrence in the calendar', () => {
    expect(notificationHref({ entity_type: 'event', entity_id: 'e1', data: { occurrence_start: '2026-05-04T17:00:00Z' } })).toBe(
      '/calendar?event=e1&at=2026-05-04T17%3A00%3A00Z',
    )
    expect(notificationHref({ entity_type: 'event', entity_id: 'e1' })).toBe('/calendar?event=e1')
  })

  it('opens a task in the tasks page, and nothing for an unknown or missing record', () => {
    expect(notificationHref({ entity_type: 'task', entity_id: 't1', data: { comment_id: 'k9' } })).toBe('/tasks?task=t1')
    expect(notificationHref({ entity_type: 'invoice', entity_id: 'i1' })).toBeNull()
    expect(notificationHref({ entity_type: 'lead', entity_id: null })).toBeNull()
    expect(recordHref(null, 'x')).toBeNull()
  })
})
