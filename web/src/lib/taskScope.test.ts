import { describe, expect, it } from 'vitest'
import { isMine, needsDefaultScope, withScope } from './taskScope'

const me = 'u-1'

describe('tasks: mine or everyone', () => {
  it('opening the page plainly shows my tasks', () => {
    expect(needsDefaultScope(new URLSearchParams(''))).toBe(true)
    expect(needsDefaultScope(new URLSearchParams('sort=due_date'))).toBe(true)
  })

  it('choosing everyone stays everyone (it no longer snaps back to mine)', () => {
    const mine = withScope(new URLSearchParams('sort=due_date'), me, true)
    expect(isMine(mine, me)).toBe(true)
    const everyone = withScope(mine, me, false)
    expect(everyone.toString()).toBe('sort=due_date&scope=everyone')
    expect(isMine(everyone, me)).toBe(false)
    expect(needsDefaultScope(everyone)).toBe(false)
    expect(needsDefaultScope(new URLSearchParams('scope=everyone'))).toBe(false)
    // A saved view opened keeps its own filters.
    expect(needsDefaultScope(new URLSearchParams('view=v1&status[eq]=todo'))).toBe(false)
  })

  it('back to mine drops the everyone marker; another assignee’s filter is kept as chosen', () => {
    const mine = withScope(new URLSearchParams('scope=everyone&status[eq]=todo'), me, true)
    expect(mine.get('scope')).toBeNull()
    expect(mine.get('status[eq]')).toBe('todo')
    const someone = new URLSearchParams('assignee_id[eq]=u-2')
    expect(needsDefaultScope(someone)).toBe(false)
    expect(isMine(someone, me)).toBe(false)
  })
})
