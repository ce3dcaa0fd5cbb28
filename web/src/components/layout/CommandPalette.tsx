import { useEffect, useState } from 'react'
import { Command } from 'cmdk'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import * as DialogPrimitive from '@radix-ui/react-dialog'
import { Building2, KanbanSquare, LayoutDashboard, Loader2, Search, Target, Users } from 'lucide-react'
import { api, orgHeader } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Hit } from '@/api/types'
import { useDebounced } from '@/hooks/useDebounced'

const item =
  'flex cursor-default items-center gap-2.5 rounded-md px-2.5 py-2 text-[13px] data-[selected=true]:bg-accent [&_svg]:size-4 [&_svg]:text-muted-foreground'

/** Ctrl/Cmd-K: jump to a page or find any record (GET /search). */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const org = useCurrentOrgId()
  const [q, setQ] = useState('')
  const term = useDebounced(q.trim(), 180)

  const results = useQuery({
    queryKey: [org, 'search', term],
    queryFn: async () => unwrap(await api.GET('/api/v1/search', { params: { header: orgHeader, query: { q: term, limit: 5 } } })),
    enabled: open && term.length > 0,
    staleTime: 10_000,
  })

  useEffect(() => {
    if (!open) setQ('')
  }, [open])

  const go = (to: string) => {
    onOpenChange(false)
    navigate(to)
  }

  const group = (heading: string, hits: Hit[] | undefined, icon: React.ReactNode, to: (h: Hit) => string | null) =>
    hits && hits.length > 0 ? (
      <Command.Group heading={heading}>
        {hits.map((h) => {
          const target = to(h)
          return (
            <Command.Item key={h.id} value={`${heading}-${h.id}`} className={item} onSelect={() => target && go(target)}>
              {icon}
              <span className="truncate">{h.title}</span>
              {h.subtitle && <span className="ml-auto truncate text-xs text-muted-foreground">{h.subtitle}</span>}
            </Command.Item>
          )
        })}
      </Command.Group>
    ) : null

  const r = results.data
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <DialogPrimitive.Content
          className="fixed left-1/2 top-[12vh] z-50 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-xl border bg-popover shadow-2xl"
          aria-describedby={undefined}
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
                placeholder={t('search.placeholder')}
                className="h-12 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
              />
              {results.isFetching && <Loader2 className="size-4 animate-spin text-muted-foreground" />}
            </div>
            <Command.List className="max-h-[60vh] overflow-y-auto p-1.5">
              {term.length > 0 && !results.isFetching && (
                <Command.Empty className="py-8 text-center text-sm text-muted-foreground">{t('search.empty')}</Command.Empty>
              )}
              {term.length === 0 && (
                <Command.Group heading={t('search.goTo')}>
                  <Command.Item value="nav-dashboard" className={item} onSelect={() => go('/')}>
                    <LayoutDashboard /> {t('nav.dashboard')}
                  </Command.Item>
                  <Command.Item value="nav-pipeline" className={item} onSelect={() => go('/pipeline')}>
                    <KanbanSquare /> {t('nav.pipeline')}
                  </Command.Item>
                  <Command.Item value="nav-leads" className={item} onSelect={() => go('/leads')}>
                    <Target /> {t('nav.leads')}
                  </Command.Item>
                  <Command.Item value="nav-contacts" className={item} onSelect={() => go('/contacts')}>
                    <Users /> {t('nav.contacts')}
                  </Command.Item>
                  <Command.Item value="nav-companies" className={item} onSelect={() => go('/companies')}>
                    <Building2 /> {t('nav.companies')}
                  </Command.Item>
                </Command.Group>
              )}
              {r && (
                <>
                  {group(t('nav.leads'), r.leads, <Target />, (h) => `/leads/${h.id}`)}
                  {group(t('nav.contacts'), r.contacts, <Users />, (h) => `/contacts/${h.id}`)}
                  {group(t('nav.companies'), r.companies, <Building2 />, (h) => `/companies/${h.id}`)}
                </>
              )}
            </Command.List>
          </Command>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  )
}
