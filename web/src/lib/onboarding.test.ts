import { describe, expect, it } from 'vitest'
import { dismiss, doneSteps, isDismissed } from './onboarding'

describe('the first-run checklist', () => {
  const none = { members: 1, pendingInvites: 0, contacts: 0, apiKeys: 0, conversations: 0 }

  it('starts with nothing done', () => {
    expect([...doneSteps(none)]).toEqual([])
  })

  it('marks each step from what the organization has', () => {
    expect([...doneSteps({ ...none, pendingInvites: 1 })]).toEqual(['invite'])
    expect([...doneSteps({ ...none, members: 2, contacts: 5 })]).toEqual(['invite', 'import'])
    expect([...doneSteps({ ...none, conversations: 1 })]).toEqual(['channel'])
    expect(doneSteps({ members: 3, pendingInvites: 0, contacts: 1, apiKeys: 1, conversations: 0 }).size).toBe(3)
  })

  it('remembers a dismissal per organization', () => {
    expect(isDismissed('o1')).toBe(false)
    dismiss('o1')
    expect(isDismissed('o1')).toBe(true)
    expect(isDismissed('o2')).toBe(false)
  })
})
