import { NavLink } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import {
  Building2,
  CalendarDays,
  CheckSquare,
  CircleUser,
  FolderKanban,
  KanbanSquare,
  LayoutDashboard,
  SlidersHorizontal,
  Target,
  UserCog,
  Users,
  Workflow,
  Settings2,
  KeyRound,
  ShieldCheck,
  Palette,
  MessageSquareWarning,
} from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { cn } from '@/lib/utils'
import { useMe } from '@/api/hooks/me'
import { OrgSwitcher } from './OrgSwitcher'

const NAV = [
  { to: '/', icon: LayoutDashboard, label: 'nav.dashboard' },
  { to: '/pipeline', icon: KanbanSquare, label: 'nav.pipeline' },
  { to: '/leads', icon: Target, label: 'nav.leads' },
  { to: '/contacts', icon: Users, label: 'nav.contacts' },
  { to: '/companies', icon: Building2, label: 'nav.companies' },
  { to: '/projects', icon: FolderKanban, label: 'nav.projects' },
  { to: '/tasks', icon: CheckSquare, label: 'nav.tasks' },
  { to: '/calendar', icon: CalendarDays, label: 'nav.calendar' },
] as const

const SETTINGS = [
  { to: '/settings/workspace', icon: Palette, label: 'settings.workspace' },
  { to: '/settings/profile', icon: CircleUser, label: 'settings.profile' },
  { to: '/settings/preferences', icon: Settings2, label: 'settings.preferences' },
  { to: '/settings/security', icon: ShieldCheck, label: 'settings.security' },
  { to: '/settings/team', icon: UserCog, label: 'settings.team' },
  { to: '/settings/api-keys', icon: KeyRound, label: 'settings.apiKeys' },
  { to: '/settings/pipelines', icon: Workflow, label: 'settings.pipelines' },
  { to: '/settings/custom-fields', icon: SlidersHorizontal, label: 'settings.customFields' },
  { to: '/settings/feedback', icon: MessageSquareWarning, label: 'settings.feedback' },
] as const

export function Sidebar({ onNavigate, inSheet }: { onNavigate?: () => void; inSheet?: boolean }) {
  const { t } = useTranslation()
  // A single-user (B2C) deployment has no team to manage; the page would only answer errors.
  const teamsEnabled = useMe().data?.teams_enabled !== false
  const org = useCurrentOrgId()
  const role = useOrganizations().data?.find((o) => o.id === org)?.role
  const isAdmin = role === 'owner' || role === 'admin'
  const settings = SETTINGS.filter(
    (item) => (teamsEnabled || item.to !== '/settings/team') && (isAdmin || item.to !== '/settings/feedback'),
  )
  return (
    <div className="flex h-full flex-col">
      <div className={cn('flex h-14 items-center border-b px-2', inSheet && 'pr-11')}>
        <OrgSwitcher />
      </div>
      <div className="scrollbar-thin min-h-0 flex-1 overflow-y-auto">
        <nav aria-label={t('nav.main')} className="flex flex-col gap-0.5 p-2">
          {NAV.map(({ to, icon: Icon, label }) => (
            <NavLink
              key={to}
              to={to}
              end={to === '/'}
              onClick={onNavigate}
              className={({ isActive }) =>
                cn(
                  'flex h-8 items-center gap-2.5 rounded-md px-2.5 text-[13px] font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
                  isActive && 'bg-accent text-foreground',
                )
              }
            >
              <Icon className="size-4" />
              {t(label)}
            </NavLink>
          ))}
        </nav>
        <nav aria-label={t('nav.settings')} className="flex flex-col gap-0.5 p-2 pt-0">
          <div className="px-2.5 pb-1 pt-3 text-[11px] font-medium uppercase tracking-wide text-muted-foreground">{t('nav.settings')}</div>
          {settings.map(({ to, icon: Icon, label }) => (
            <NavLink
              key={to}
              to={to}
              onClick={onNavigate}
              className={({ isActive }) =>
                cn(
                  'flex h-8 items-center gap-2.5 rounded-md px-2.5 text-[13px] font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
                  isActive && 'bg-accent text-foreground',
                )
              }
            >
              <Icon className="size-4" />
              {t(label)}
            </NavLink>
          ))}
        </nav>
      </div>
      <div className="p-3 text-[11px] text-muted-foreground">
        <span className="font-medium text-foreground/80">Loved CRM</span> · {t('nav.tagline')}
      </div>
    </div>
  )
}
