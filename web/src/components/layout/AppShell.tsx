import { lazy, Suspense, useEffect, useRef, useState } from 'react'
import { Outlet, useLocation } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Menu, Search } from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { switchOrg } from '@/api/session'
import { useOrgEvents } from '@/hooks/useOrgEvents'
import { useFollowPreferences } from '@/hooks/useFollowPreferences'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogTitle } from '@/components/ui/dialog'
import { Kbd, Skeleton } from '@/components/ui/misc'
import { Sidebar } from './Sidebar'
import { UserMenu } from './UserMenu'
import { CommandPalette } from './CommandPalette'
import { VerifyBanner } from '@/components/account/VerifyBanner'
import { NotificationBell } from './NotificationBell'
import { useQuickCreate } from './quickCreate'
import { useFeedbackOpen } from '@/components/feedback/feedbackStore'
import { rememberCameFrom } from '@/lib/backLink'

// Loaded when first asked for: not part of the initial bundle.
const QuickCreateDialogs = lazy(() => import('./QuickCreateDialogs'))
const FeedbackDialog = lazy(() => import('@/components/feedback/FeedbackDialog'))

/** Remembers which page each page was opened from, for the record pages' back links. */
function useCameFrom() {
  const location = useLocation()
  const previous = useRef<string | null>(null)
  useEffect(() => {
    const here = `${location.pathname}${location.search}`
    const before = previous.current
    if (before && before.split('?')[0] !== location.pathname) rememberCameFrom(location.pathname, before)
    previous.current = here
  }, [location.pathname, location.search])
}

/** The signed-in frame: sidebar, top bar, page; keeps the organization and live events going. */
export function AppShell() {
  const { t } = useTranslation()
  const orgs = useOrganizations()
  const orgId = useCurrentOrgId()
  const [navOpen, setNavOpen] = useState(false)
  const [paletteOpen, setPaletteOpen] = useState(false)

  // Pick an organization when none is chosen or the chosen one is gone.
  useEffect(() => {
    const list = orgs.data
    if (!list || list.length === 0) return
    if (!orgId || !list.some((o) => o.id === orgId)) switchOrg(list[0].id)
  }, [orgs.data, orgId])

  useOrgEvents(orgId)
  useFollowPreferences()
  useCameFrom()
  const creating = useQuickCreate()
  const feedback = useFeedbackOpen()

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setPaletteOpen((o) => !o)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const ready = !!orgId && !!orgs.data?.some((o) => o.id === orgId)

  return (
    <div className="flex h-full">
      <aside className="hidden w-60 shrink-0 border-r bg-sidebar md:flex md:flex-col">
        <Sidebar />
      </aside>
      <Dialog open={navOpen} onOpenChange={setNavOpen}>
        <DialogContent side="left" className="bg-sidebar" aria-describedby={undefined}>
          <DialogTitle className="sr-only">{t('nav.menu')}</DialogTitle>
          <Sidebar inSheet onNavigate={() => setNavOpen(false)} />
        </DialogContent>
      </Dialog>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center gap-2 border-b bg-background/80 px-3 backdrop-blur md:px-5">
          <Button variant="ghost" size="icon-sm" className="md:hidden" onClick={() => setNavOpen(true)} aria-label={t('nav.menu')}>
            <Menu />
          </Button>
          <button
            type="button"
            onClick={() => setPaletteOpen(true)}
            className="flex h-8 min-w-0 flex-1 items-center gap-2 rounded-md border bg-card px-2.5 text-[13px] text-muted-foreground shadow-xs transition-colors hover:bg-accent sm:max-w-sm"
          >
            <Search className="size-4 shrink-0" />
            <span className="truncate">{t('search.placeholder')}</span>
            <Kbd className="ml-auto hidden sm:inline-flex">Ctrl K</Kbd>
          </button>
          <div className="ml-auto flex items-center gap-1">
            {ready && <NotificationBell />}
            <UserMenu />
          </div>
        </header>
        <VerifyBanner />
        <main className="min-h-0 flex-1 overflow-auto">
          {ready ? (
            <Outlet />
          ) : (
            <div className="space-y-3 p-6">
              <Skeleton className="h-7 w-48" />
              <Skeleton className="h-64 w-full" />
            </div>
          )}
        </main>
      </div>
      <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} />
      {ready && creating && (
        <Suspense fallback={null}>
          <QuickCreateDialogs kind={creating} />
        </Suspense>
      )}
      {ready && feedback && (
        <Suspense fallback={null}>
          <FeedbackDialog />
        </Suspense>
      )}
    </div>
  )
}
