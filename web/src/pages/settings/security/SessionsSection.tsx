import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { LogOut, Monitor, Smartphone, Tablet } from 'lucide-react'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Badge, Skeleton } from '@/components/ui/misc'
import { formatDate, relativeTime } from '@/lib/format'
import { useSecurityMutations, useSessions } from './useSecurity'
import { toastError } from '@/api/errors'

const DEVICE_ICONS = { mobile: Smartphone, tablet: Tablet } as Record<string, typeof Monitor>

/** Where the account is signed in; revoke one, or every other. */
export function SessionsSection() {
  const { t, i18n } = useTranslation()
  const sessions = useSessions()
  const { revoke, revokeOthers } = useSecurityMutations()
  const list = sessions.data ?? []
  const others = list.filter((s) => !s.current).length
  return (
    <Section
      title={t('security.sessions')}
      description={t('security.sessionsHelp')}
      footer={
        <Button
          size="sm"
          variant="outline"
          disabled={others === 0 || revokeOthers.isPending}
          onClick={() =>
            revokeOthers.mutate(undefined, {
              onSuccess: (r) => toast.success(t('security.revokedOthers', { count: r.revoked })),
              onError: (e) => toastError(e),
            })
          }
          data-testid="revoke-others"
        >
          <LogOut />
          {t('security.revokeOthers')}
        </Button>
      }
    >
      {sessions.isPending ? (
        <Skeleton className="h-24" />
      ) : (
        <ul className="-my-2 divide-y">
          {list.map((s) => {
            const Icon = DEVICE_ICONS[s.device.toLowerCase()] ?? Monitor
            return (
              <li key={s.id} className="flex flex-wrap items-center gap-3 py-3" data-testid="session-row" data-current={s.current}>
                <span className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-muted text-muted-foreground">
                  <Icon className="size-4" />
                </span>
                <div className="min-w-0 flex-1 text-[13px]">
                  <div className="flex flex-wrap items-center gap-2 font-medium">
                    {t('security.browserOn', { browser: s.browser || t('security.unknown'), os: s.os || t('security.unknown') })}
                    {s.current && <Badge className="border-success/30 text-success">{t('security.thisDevice')}</Badge>}
                  </div>
                  <div className="text-xs text-muted-foreground">
                    {[
                      s.ip,
                      t('security.lastSeen', { when: relativeTime(s.last_seen_at, i18n.language) }),
                      t('security.signedIn', { date: formatDate(s.created_at, i18n.language) }),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </div>
                </div>
                {!s.current && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t('security.revokeOne', { browser: s.browser, os: s.os })}
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(s.id, { onSuccess: () => toast.success(t('security.revoked')) })}
                  >
                    {t('security.revoke')}
                  </Button>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </Section>
  )
}
