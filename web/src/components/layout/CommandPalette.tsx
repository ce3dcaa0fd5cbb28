import { useEffect, useMemo, useState } from 'react'
import { Command } from 'cmdk'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import * as DialogPrimitive from '@radix-ui/react-dialog'
import {
  ArrowRight,
  ArrowRightLeft,
  Building2,
  CheckSquare,
  FolderKanban,
  Loader2,
  LogOut,
  MessageSquareWarning,
  Plus,
  Search,
  Settings2,
  Target,
  Users,
  type LucideIcon,
} from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useOrganizations } from '@/api/hooks/orgs'
import { useMe } from '@/api/hooks/me'
import { logout } from '@/api/session'
import type { Hit } from '@/api/types'
import { useDebounced } from '@/hooks/useDebounced'
import { matchActions, paletteActions, PALETTE_GROUPS, type PaletteAction } from '@/lib/paletteActions'
import { recordHref } from '@/lib/recordLinks'
import { openCreate } from './quickCreate'
import { openFeedback } from '@/components/feedback/feedbackStore'
import { useSwitchOrg } from './useSwitchOrg'

const item =
  'flex cursor-default items-center gap-2.5 rounded-md px-2.5 py-2 text-[13px] data-[selected=true]:bg-accent [&_svg]:size-4 [&_svg]:shrink-0 [&_svg]:text-muted-foreground'

const GROUP_ICON: Record<string, LucideIcon> = {
  create: Plus,
  navigate: ArrowRight,
  settings: Settings2,
  organizations: ArrowRightLeft,
}

/** Ctrl/Cmd-K: do something (create, go to a page or setting, switch organization) or find any record (GET /search). */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const org = useCurrentOrgId()
  const orgs = useOrganizations()
  const me = useMe()
  const qc = useQueryClient()
  const switchTo = useSwitchOrg()
  const [q, setQ] = useState('')
  const term = useDebounced(q.trim(), 180)

  const results = useQuery({
    queryKey: [org, 'search', term],
    queryFn: async () => unwrap(await api.GET('/api/v1/search', { params: { query: { q: term, limit: 5 } } })),
    enabled: open && term.length > 0,
    staleTime: 10_000,
  })

  useEffect(() => {
    if (!open) setQ('')
  }, [open])

  const role = orgs.data?.find((o) => o.id === org)?.role
  const actions = useMemo(
    () =>
      paletteActions({
        orgs: orgs.data ?? [],
        currentOrgId: org,
        teamsEnabled: me.data?.teams_enabled !== false,
        isAdmin: role === 'owner' || role === 'admin',
        t: (k, o) => t(k, o) as string,
      }),
    [orgs.data, org, me.data?.teams_enabled, role, t],
  )
  const matched = matchActions(actions, q)

  const run = async (a: PaletteAction) => {
    onOpenChange(false)
    const r = a.run
    if (r.type === 'navigate') navigate(r.to)
    else if (r.type === 'create') openCreate(r.what)
    else if (r.type === 'switchOrg') switchTo(r.orgId)
    else if (r.type === 'feedback') openFeedback()
    else if (r.type === 'signOut') {
      await logout()
      qc.clear()
      navigate('/login')
    }
  }

  const go = (to: string) => {
    onOpenChange(false)
    navigate(to)
  }

  const group = (heading: string, hits: Hit[] | undefined, Icon: LucideIcon, kind: string) =>
    hits && hits.length > 0 ? (
      <Command.Group heading={heading}>
        {hits.map((h) => {
          const target = recordHref(kind, h.id)
          return (
            <Command.Item key={h.id} value={`${kind}-${h.id}`} className={item} onSelect={() => target && go(target)}>
              <Icon />
              <span className="truncate">{h.title}</span>
              {h.subtitle && <span className="ml-auto truncate text-xs text-muted-foreground">{h.subtitle}</span>}
            </Command.Item>
          )
        })}
      </Command.Group>
    ) : null

  const actionIcon = (a: PaletteAction) =>
    a.run.type === 'signOut' ? LogOut : a.run.type === 'feedback' ? MessageSquareWarning : (GROUP_ICON[a.group] ?? Settings2)

  const r = results.data
  const anyHits = !!r && [r.leads, r.contacts, r.companies, r.projects, r.tasks].some((h) => h?.length)
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <DialogPrimitive.Content
          className="fixed left-1/2 top-[12vh] z-50 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-xl border bg-popover shadow-2xl"
          aria-describedby={undefined}
          data-testid="command-palette"
        >
          <DialogPrimitive.Title className="sr-only">{t('search.title')}</DialogPrimitive.Title>
          <Command
            shouldFilter={false}
            label={t('search.title')}
            className="[&_[cmdk-group-heading]]:px-2.5 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:text-[11px] [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:uppercase [&_[cmdk-group-heading]]:tracking-wide [&_[cmdk-group-heading]]:text-muted-foreground"
          >
            <div className="flex items-center gap-2 border-b px-3">
              <Search className="size-4 text-muted-foreground" />
              <Command.Input
                value={q}
                onValueChange={setQ}
                placeholder={t('palette.placeholder')}
                className="h-12 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
              />
              {results.isFetching && <Loader2 className="size-4 animate-spin text-muted-foreground" />}
            </div>
            <Command.List className="max-h-[60vh] overflow-y-auto p-1.5">
              {term.length > 0 && !results.isFetching && !anyHits && matched.length === 0 && (
                <Command.Empty className="py-8 text-center text-sm text-muted-foreground">{t('search.empty')}</Command.Empty>
              )}
              {r && (
                <>
                  {group(t('nav.leads'), r.leads, Target, 'lead')}
                  {group(t('nav.contacts'), r.contacts, Users, 'contact')}
                  {group(t('nav.companies'), r.companies, Building2, 'company')}
                  {group(t('nav.projects'), r.projects, FolderKanban, 'project')}
                  {group(t('nav.tasks'), r.tasks, CheckSquare, 'task')}
                </>
              )}
              {PALETTE_GROUPS.map((g) => {
                const list = matched.filter((a) => a.group === g)
                if (list.length === 0) return null
                return (
                  <Command.Group key={g} heading={t(`palette.groups.${g}`)}>
                    {list.map((a) => {
                      const Icon = actionIcon(a)
                      return (
                        <Command.Item key={a.id} value={`action-${a.id}`} className={item} onSelect={() => void run(a)}>
                          <Icon />
                          <span className="truncate">{a.label}</span>
                        </Command.Item>
                      )
                    })}
                  </Command.Group>
                )
              })}
            </Command.List>
          </Command>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  )
}
