import { useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Loader2, Mail, RotateCw, UserPlus, X } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors, toastError } from '@/api/errors'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { components } from '@/api/schema'
import { Field, FormError } from '@/components/forms/Field'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input, NativeSelect } from '@/components/ui/input'
import { Badge, Skeleton } from '@/components/ui/misc'
import { formatDate, relativeTime } from '@/lib/format'

type Role = components['schemas']['Role']
const INVITE_ROLES: Role[] = ['admin', 'manager', 'sales', 'viewer']

function useInvites(enabled: boolean) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'invites'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations/current/invites')).data,
    enabled: !!org && enabled,
  })
}

/** Invite someone by email with a role. */
export function InviteDialog() {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('sales')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const invite = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/organizations/current/invites', { body: { email: email.trim(), role } })),
    onSuccess: (inv) => {
      toast.success(t('team.invited', { email: inv.email }))
      void qc.invalidateQueries({ queryKey: [org, 'invites'] })
      setOpen(false)
      setEmail('')
    },
    onError: (e) => {
      const m = fieldErrors(e, ['email', 'role'])
      setErrors(m.fields)
      setFormError(m.form)
    },
  })
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" data-testid="invite-member">
          <UserPlus />
          {t('team.invite')}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('team.inviteTitle')}</DialogTitle>
          <DialogDescription>{t('team.inviteHelp')}</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault()
            setFormError(null)
            if (!email.trim()) return setErrors({ email: t('auth.required') })
            setErrors({})
            invite.mutate()
          }}
        >
          <FormError message={formError} />
          <Field label={t('auth.email')} error={errors.email}>
            <Input type="email" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label={t('settings.role')} error={errors.role}>
            <NativeSelect value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {INVITE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={invite.isPending}>
              {invite.isPending && <Loader2 className="animate-spin" />}
              {t('team.invite')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

/** Pending invitations with resend and revoke. */
export function PendingInvites() {
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const invites = useInvites(true)
  const refresh = () => qc.invalidateQueries({ queryKey: [org, 'invites'] })
  const resend = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/organizations/current/invites/{id}/resend', { params: { path: { id } } })),
    onSuccess: () => toast.success(t('team.resent')),
    onError: (e) => toastError(e),
    onSettled: refresh,
  })
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/organizations/current/invites/{id}', { params: { path: { id } } })),
    onSuccess: () => toast.success(t('team.inviteRevoked')),
    onError: (e) => toastError(e),
    onSettled: refresh,
  })
  const pending = (invites.data ?? []).filter((i) => i.status === 'pending' || i.status === 'expired')
  return (
    <Section title={t('team.invites')} description={t('team.invitesHelp')}>
      {invites.isPending ? (
        <Skeleton className="h-10" />
      ) : pending.length === 0 ? (
        <p className="text-[13px] text-muted-foreground">{t('team.noInvites')}</p>
      ) : (
        <ul className="-my-2 divide-y">
          {pending.map((inv) => (
            <li key={inv.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid="invite-row">
              <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground">
                <Mail className="size-4" />
              </span>
              <div className="min-w-0 flex-1 text-[13px]">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="truncate font-medium">{inv.email}</span>
                  <Badge>{t(`roles.${inv.role}`)}</Badge>
                  {inv.status === 'expired' && <Badge className="text-destructive">{t('team.status.expired')}</Badge>}
                </div>
                <div className="text-xs text-muted-foreground">
                  {t('team.invitedBy', { when: relativeTime(inv.created_at, i18n.language) })} ·{' '}
                  {t('team.expiresOn', { date: formatDate(inv.expires_at, i18n.language) })}
                </div>
              </div>
              <Button size="sm" variant="ghost" aria-label={t('team.resendTo', { email: inv.email })} onClick={() => resend.mutate(inv.id)}>
                <RotateCw />
                <span className="hidden sm:inline">{t('team.resend')}</span>
              </Button>
              <Button
                size="icon-sm"
                variant="ghost"
                aria-label={t('team.revokeInvite', { email: inv.email })}
                onClick={() => revoke.mutate(inv.id)}
              >
                <X />
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}
