import { describe, expect, it } from 'vitest'
import { matchActions, paletteActions } from './paletteActions'
import en from '@/i18n/locales/en'

/** A `t` over the English strings, enough for labels and keywords. */
const t = (key: string, options?: Record<string, unknown>) => {
  let v: unknown = en
  for (const part of key.split('.')) v = (v as Record<string, unknown>)?.[part]
  let s = typeof v === 'string' ? v : key
  for (const [k, val] of Object.entries(options ?? {})) s = s.replace(`{{${k}}}`, String(val))
  return s
}

const orgs = [
  { id: 'o1', name: 'Estúdio Aurora' },
  { id: 'o2', name: 'Gaps Agency' },
]

describe('command palette actions', () => {
  it('creates, goes to pages and settings, switches to each other organization and signs out', () => {
    const actions = paletteActions({ orgs, currentOrgId: 'o1', teamsEnabled: true, t })
    const labels = actions.map((a) => a.label)
    for (const l of [
      'New lead',
      'New contact',
      'New company',
      'New project',
      'New task',
      'Dashboard',
      'Tasks',
      'Workspace',
      'Profile',
      'Team',
      'Custom fields',
      'Send feedback',
      'Sign out',
    ])
      expect(labels).toContain(l)
    const switching = actions.filter((a) => a.run.type === 'switchOrg')
    expect(switching.map((a) => a.label)).toEqual(['Switch to Gaps Agency'])
    expect(switching[0].run).toEqual({ type: 'switchOrg', orgId: 'o2' })
    expect(actions.find((a) => a.label === 'New contact')?.run).toEqual({ type: 'create', what: 'contact' })
    expect(actions.find((a) => a.label === 'Preferences')?.run).toEqual({ type: 'navigate', to: '/settings/preferences' })
    expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length)
    // Feedback received is for admins only.
    expect(actions.some((a) => a.id === 'settings-feedback')).toBe(false)
    expect(
      paletteActions({ orgs, currentOrgId: 'o1', teamsEnabled: true, isAdmin: true, t }).some((a) => a.id === 'settings-feedback'),
    ).toBe(true)
  })

  it('a single-user deployment has no team page and no organizations to switch to', () => {
    const actions = paletteActions({ orgs, currentOrgId: 'o1', teamsEnabled: false, t })
    expect(actions.some((a) => a.id === 'settings-team')).toBe(false)
    expect(actions.some((a) => a.group === 'organizations')).toBe(false)
  })

  it('matches what is typed by word prefixes, ignoring case and accents', () => {
    const actions = paletteActions({ orgs, currentOrgId: 'o2', teamsEnabled: true, t })
    const ids = (q: string) => matchActions(actions, q).map((a) => a.id)
    expect(ids('new cont')).toEqual(['create-contact'])
    expect(ids('NEW')).toEqual(['create-lead', 'create-contact', 'create-company', 'create-project', 'create-task'])
    expect(ids('estudio')).toEqual(['org-o1'])
    expect(ids('switch')).toEqual(['org-o1'])
    expect(ids('sign out')).toEqual(['sign-out'])
    expect(ids('security')).toEqual(['settings-security'])
    expect(ids('settings').length).toBe(8)
    expect(ids('workspace')).toEqual(['settings-workspace'])
    expect(ids('bug')).toEqual(['feedback'])
    expect(ids('')).toHaveLength(actions.length)
    // Record names are not actions: a search for a person shows no action.
    expect(ids('otavio')).toEqual([])
    expect(ids('acme')).toEqual([])
  })
})
