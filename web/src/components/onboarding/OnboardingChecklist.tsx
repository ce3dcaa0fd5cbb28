import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ArrowRight, Check, Plug, Upload, UserPlus, X } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useMembers, useOrganizations } from '@/api/hooks/orgs'
import { useMe } from '@/api/hooks/me'
import { useCurrentOrgId } from '@/api/hooks/session'
import { Card } from '@/components/ui/misc'
import { dismiss, doneSteps, isDismissed, STEPS, type OnboardingStep } from '@/lib/onboarding'
import { cn } from '@/lib/utils'

const STEP_UI: Record<OnboardingStep, { icon: typeof Plug; to: string }> = {
  invite: { icon: UserPlus, to: '/settings/team' },
  import: { icon: Upload, to: '/contacts' },
  channel: { icon: Plug, to: '/settings/api-keys' },
}

/** How many of something the organization has (one cheap request each). */
function useCount(key: string, load: () => Promise<number>, enabled: boolean) {
  const org = useCurrentOrgId()
  return useQuery({ queryKey: [org, 'onboarding', key], queryFn: load, enabled: !!org && enabled, staleTime: 30_000 })
}

/**
 * A new organization's first steps, on the dashboard for its owner and admins:
 * invite a teammate, bring in contacts, connect a channel. Each is ticked
 * when it is true of the organization; the card goes when all are, or when
 * dismissed.
 */
export function OnboardingChecklist() {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const role = useOrganizations().data?.find((o) => o.id === org)?.role
  const teams = useMe().data?.teams_enabled !== false
  const admin = role === 'owner' || role === 'admin'
  const [hidden, setHidden] = useState(() => (org ? isDismissed(org) : true))
  const show = admin && !hidden
  const members = useMembers()
  const invites = useCount('invites', async () => unwrap(await api.GET('/api/v1/organizations/current/invites')).data.length, show && teams)
  const contacts = useCount(
    'contacts',
    async () => unwrap(await api.GET('/api/v1/contacts', { params: { query: { limit: 1, count: true } as { limit: number } } })).total ?? 0,
    show,
  )
  const keys = useCount('api-keys', async () => unwrap(await api.GET('/api/v1/api-keys')).data.length, show)
  const conversations = useCount(
    'conversations',
    async () => unwrap(await api.GET('/api/v1/communications', { params: { query: { limit: 1 } as { limit: number } } })).data.length,
    show,
  )
  if (!show || !members.data || contacts.data === undefined || keys.data === undefined || conversations.data === undefined) return null
  const steps = teams ? STEPS : STEPS.filter((s) => s !== 'invite')
  const done = doneSteps({
    members: members.data.length,
    pendingInvites: invites.data ?? 0,
    contacts: contacts.data,
    apiKeys: keys.data,
    conversations: conversations.data,
  })
  const left = steps.filter((s) => !done.has(s))
  if (left.length === 0) return null

  return (
    <Card className="relative overflow-hidden p-4 sm:p-5" data-testid="onboarding">
      <button
        type="button"
        onClick={() => {
          if (org) dismiss(org)
          setHidden(true)
        }}
        aria-label={t('onboarding.dismiss')}
        className="absolute right-3 top-3 rounded-md p-1 text-muted-foreground hover:bg-accent hover:text-foreground"
      >
        <X className="size-4" />
      </button>
      <h2 className="text-sm font-semibold">{t('onboarding.title')}</h2>
      <p className="mt-0.5 text-xs text-muted-foreground">
        {t('onboarding.progress', { done: steps.length - left.length, total: steps.length })}
      </p>
      <div className="mt-1.5 h-1 w-full max-w-xs overflow-hidden rounded-full bg-muted">
        <div className="h-full bg-primary transition-all" style={{ width: `${((steps.length - left.length) / steps.length) * 100}%` }} />
      </div>
      <ol className="mt-4 grid gap-2 sm:grid-cols-3">
        {steps.map((s) => {
          const { icon: Icon, to } = STEP_UI[s]
          const ok = done.has(s)
          return (
            <li key={s}>
              <Link
                to={to}
                className={cn(
                  'group flex h-full items-start gap-3 rounded-lg border p-3 transition-colors hover:bg-accent',
                  ok && 'border-success/30 bg-success/5',
                )}
                data-testid={`onboarding-${s}`}
                data-done={ok}
              >
                <span
                  className={cn(
                    'flex size-8 shrink-0 items-center justify-center rounded-full',
                    ok ? 'bg-success text-white' : 'bg-primary/10 text-primary',
                  )}
                >
                  {ok ? <Check className="size-4" /> : <Icon className="size-4" />}
                </span>
                <span className="min-w-0 flex-1">
                  <span className={cn('block text-[13px] font-medium', ok && 'text-muted-foreground line-through')}>
                    {t(`onboarding.${s}.title`)}
                  </span>
                  <span className="mt-0.5 block text-xs text-muted-foreground">{t(`onboarding.${s}.body`)}</span>
                </span>
                {!ok && <ArrowRight className="mt-1 size-3.5 shrink-0 text-muted-foreground group-hover:text-foreground" />}
              </Link>
            </li>
          )
        })}
      </ol>
    </Card>
  )
}
