/** What the command palette offers besides search results, and which of it matches what was typed. */

export type CreateKind = 'lead' | 'contact' | 'company' | 'project' | 'task'
export type PaletteGroup = 'navigate' | 'create' | 'settings' | 'organizations' | 'account'
export const PALETTE_GROUPS: PaletteGroup[] = ['create', 'navigate', 'settings', 'organizations', 'account']

export type PaletteRun =
  | { type: 'navigate'; to: string }
  | { type: 'create'; what: CreateKind }
  | { type: 'switchOrg'; orgId: string }
  | { type: 'signOut' }
  | { type: 'feedback' }

export interface PaletteAction {
  id: string
  group: PaletteGroup
  /** What the item says. */
  label: string
  /** More words it is found by (the group's name, synonyms). */
  keywords: string
  run: PaletteRun
}

type T = (key: string, options?: Record<string, unknown>) => string

export const PAGES = [
  { id: 'dashboard', to: '/', label: 'nav.dashboard' },
  { id: 'pipeline', to: '/pipeline', label: 'nav.pipeline' },
  { id: 'leads', to: '/leads', label: 'nav.leads' },
  { id: 'contacts', to: '/contacts', label: 'nav.contacts' },
  { id: 'companies', to: '/companies', label: 'nav.companies' },
  { id: 'projects', to: '/projects', label: 'nav.projects' },
  { id: 'tasks', to: '/tasks', label: 'nav.tasks' },
  { id: 'calendar', to: '/calendar', label: 'nav.calendar' },
] as const

export const SETTINGS_PAGES = [
  { id: 'workspace', to: '/settings/workspace', label: 'settings.workspace' },
  { id: 'profile', to: '/settings/profile', label: 'settings.profile' },
  { id: 'preferences', to: '/settings/preferences', label: 'settings.preferences' },
  { id: 'security', to: '/settings/security', label: 'settings.security' },
  { id: 'team', to: '/settings/team', label: 'settings.team' },
  { id: 'api-keys', to: '/settings/api-keys', label: 'settings.apiKeys' },
  { id: 'pipelines', to: '/settings/pipelines', label: 'settings.pipelines' },
  { id: 'custom-fields', to: '/settings/custom-fields', label: 'settings.customFields' },
  { id: 'feedback', to: '/settings/feedback', label: 'settings.feedback', admin: true },
] as const

const CREATE: { what: CreateKind; label: string }[] = [
  { what: 'lead', label: 'palette.newLead' },
  { what: 'contact', label: 'palette.newContact' },
  { what: 'company', label: 'palette.newCompany' },
  { what: 'project', label: 'palette.newProject' },
  { what: 'task', label: 'palette.newTask' },
]

export interface PaletteContext {
  orgs: { id: string; name: string }[]
  currentOrgId: string | null
  /** False on a single-user deployment: no team page, no other organizations. */
  teamsEnabled: boolean
  /** Owners and admins also get the pages only they may open (feedback received). */
  isAdmin?: boolean
  t: T
}

/** Every action, in display order. */
export function paletteActions({ orgs, currentOrgId, teamsEnabled, isAdmin = false, t }: PaletteContext): PaletteAction[] {
  const out: PaletteAction[] = []
  const create = t('palette.create')
  for (const c of CREATE) {
    out.push({
      id: `create-${c.what}`,
      group: 'create',
      label: t(c.label),
      keywords: `${create} new add`,
      run: { type: 'create', what: c.what },
    })
  }
  const goTo = t('search.goTo')
  for (const p of PAGES) {
    out.push({ id: `nav-${p.id}`, group: 'navigate', label: t(p.label), keywords: goTo, run: { type: 'navigate', to: p.to } })
  }
  const settings = t('nav.settings')
  for (const s of SETTINGS_PAGES) {
    if (s.id === 'team' && !teamsEnabled) continue
    if ('admin' in s && s.admin && !isAdmin) continue
    out.push({
      id: `settings-${s.id}`,
      group: 'settings',
      label: t(s.label),
      keywords: `${settings} settings`,
      run: { type: 'navigate', to: s.to },
    })
  }
  if (teamsEnabled) {
    const switching = t('org.switch')
    for (const o of orgs) {
      if (o.id === currentOrgId) continue
      out.push({
        id: `org-${o.id}`,
        group: 'organizations',
        label: t('palette.switchTo', { name: o.name }),
        keywords: `${switching} organization`,
        run: { type: 'switchOrg', orgId: o.id },
      })
    }
  }
  out.push({
    id: 'feedback',
    group: 'account',
    label: t('feedback.send'),
    keywords: 'feedback bug idea report',
    run: { type: 'feedback' },
  })
  out.push({ id: 'sign-out', group: 'account', label: t('user.signOut'), keywords: 'logout log out', run: { type: 'signOut' } })
  return out
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * The actions whose label or keywords contain every word typed (as a word
 * prefix, ignoring case and accents); all of them when nothing is typed.
 */
export function matchActions(actions: PaletteAction[], query: string): PaletteAction[] {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return actions
  return actions.filter((a) => {
    const hay = fold(`${a.label} ${a.keywords}`).split(/[^\p{L}\p{N}]+/u)
    return words.every((w) => hay.some((h) => h.startsWith(w)))
  })
}
