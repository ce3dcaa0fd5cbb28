import { beforeEach, describe, expect, it } from 'vitest'
import { backTarget, cameFrom, rememberCameFrom } from './backLink'

const fallback = { to: '/pipeline', label: 'nav.pipeline' }

describe('the back link of a record page', () => {
  beforeEach(() => sessionStorage.clear())

  it('goes back to the board or list it came from, with its filters', () => {
    expect(backTarget('/pipeline/p1?owner=me&tags=vip', fallback)).toEqual({ to: '/pipeline/p1?owner=me&tags=vip', label: 'nav.pipeline' })
    expect(backTarget('/leads?view=v1&status[eq]=open', fallback)).toEqual({ to: '/leads?view=v1&status[eq]=open', label: 'nav.leads' })
    expect(backTarget('/contacts/c1', fallback)).toEqual({ to: '/contacts/c1', label: 'back.contact' })
    expect(backTarget('/tasks?assignee_id[eq]=u', fallback).label).toBe('nav.tasks')
    expect(backTarget('/', fallback).label).toBe('nav.dashboard')
  })

  it('falls back to the board when it is unknown or a settings page', () => {
    expect(backTarget(null, fallback)).toBe(fallback)
    expect(backTarget('/settings/profile', fallback)).toBe(fallback)
  })

  it('remembers where each page was opened from, for the session', () => {
    rememberCameFrom('/leads/1', '/pipeline?owner=me')
    rememberCameFrom('/leads/2', '/leads?sort=title')
    rememberCameFrom('/leads/1', '/contacts/c1')
    expect(cameFrom('/leads/1')).toBe('/contacts/c1')
    expect(cameFrom('/leads/2')).toBe('/leads?sort=title')
    expect(cameFrom('/leads/3')).toBeNull()
  })
})
