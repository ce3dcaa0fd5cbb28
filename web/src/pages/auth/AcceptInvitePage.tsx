import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Building2, Loader2, LogOut } from 'lucide-react'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { errorText, fieldErrors } from '@/api/errors'
import { useSession } from '@/api/hooks/session'
import { logout, saveSession, sessionFromTokens, switchOrg } from '@/api/session'
import { Field, FormError } from '@/components/forms/Field'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'
import { AuthLayout } from './AuthLayout'

const MIN_PASSWORD = 10

/**
 * `/invite/<token>`: the invited person's way in. Signed in as the invited
 * email → one click; with no account yet → name and password create it.
 */
export default function AcceptInvitePage() {
  const { token = '' } = useParams()
  const { t, i18n } = useTranslation()
  const session = useSession()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const invite = useQuery({
    queryKey: ['invite', token],
    queryFn: async () => unwrap(await api.GET('/api/v1/invites/{token}', { params: { path: { token } } })),
    retry: false,
  })
  const accept = useMutation({
    mutationFn: async (body?: { name: string; password: string }) =>
      unwrap(await api.POST('/api/v1/invites/{token}/accept', { params: { path: { token } }, body: body ?? {} })),
    onSuccess: (res) => {
      if (res.tokens) {
        qc.clear()
        saveSession(sessionFromTokens(res.tokens))
      } else {
        void qc.invalidateQueries({ queryKey: ['organizations'] })
      }
      switchOrg(res.organization_id)
      navigate('/', { replace: true })
    },
    onError: (e) => {
      const mapped = fieldErrors(e, ['name', 'password'])
      setErrors(mapped.fields)
      setFormError(mapped.form)
    },
  })

  if (invite.isPending) {
    return (
      <AuthLayout title={t('invite.loading')} subtitle={'\u00a0'}>
        <Skeleton className="h-40" />
      </AuthLayout>
    )
  }
  if (invite.isError) {
    const gone = isApiError(invite.error) && (invite.error.status === 404 || invite.error.status === 410)
    return (
      <AuthLayout title={t('invite.invalidTitle')} subtitle={gone ? t('invite.invalidBody') : errorText(invite.error)}>
        <Button asChild variant="outline" className="w-full" data-testid="invite-invalid">
          <Link to={session ? '/' : '/login'}>{t('auth.continue')}</Link>
        </Button>
      </AuthLayout>
    )
  }
  const inv = invite.data
  const sameUser = session && session.user.email.toLowerCase() === inv.email.toLowerCase()
  const summary = (
    <div className="mb-6 flex items-center gap-3 rounded-lg border bg-card p-3">
      <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-primary">
        <Building2 className="size-5" />
      </span>
      <div className="min-w-0 text-sm">
        <div className="truncate font-semibold" data-testid="invite-org">
          {inv.organization_name}
        </div>
        <div className="text-xs text-muted-foreground">
          {t('invite.as', { role: t(`roles.${inv.role}`), email: inv.email })} ·{' '}
          {t('invite.expires', { date: formatDate(inv.expires_at, i18n.language) })}
        </div>
      </div>
    </div>
  )
  const title = t('invite.title', { org: inv.organization_name })
  const subtitle = inv.invited_by_name ? t('invite.subtitle', { name: inv.invited_by_name }) : t('invite.subtitleAnon')

  if (session && sameUser) {
    return (
      <AuthLayout title={title} subtitle={subtitle}>
        {summary}
        <FormError message={formError} />
        <Button className="w-full" disabled={accept.isPending} onClick={() => accept.mutate(undefined)} data-testid="accept-invite">
          {accept.isPending && <Loader2 className="animate-spin" />}
          {t('invite.accept')}
        </Button>
      </AuthLayout>
    )
  }
  if (session) {
    return (
      <AuthLayout title={title} subtitle={subtitle}>
        {summary}
        <p className="mb-4 text-sm text-muted-foreground">
          {t('invite.otherAccount', { current: session.user.email, invited: inv.email })}
        </p>
        <Button
          variant="outline"
          className="w-full"
          onClick={async () => {
            await logout()
            qc.clear()
          }}
        >
          <LogOut />
          {t('invite.switchAccount')}
        </Button>
      </AuthLayout>
    )
  }
  if (inv.account_exists) {
    return (
      <AuthLayout title={title} subtitle={subtitle}>
        {summary}
        <p className="mb-4 text-sm text-muted-foreground">{t('invite.signInFirst', { email: inv.email })}</p>
        <Button asChild className="w-full">
          <Link to={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>{t('invite.signInToAccept')}</Link>
        </Button>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={title} subtitle={subtitle}>
      {summary}
      <form
        noValidate
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault()
          setFormError(null)
          const client: Record<string, string> = {}
          if (!name.trim()) client.name = t('auth.required')
          if (password.length < MIN_PASSWORD) client.password = t('auth.passwordTooShort', { count: MIN_PASSWORD })
          setErrors(client)
          if (!Object.keys(client).length) accept.mutate({ name: name.trim(), password })
        }}
      >
        <FormError message={formError} />
        <Field label={t('auth.email')}>
          <Input value={inv.email} readOnly disabled />
        </Field>
        <Field label={t('auth.name')} error={errors.name}>
          <Input autoComplete="name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('auth.password')} error={errors.password} hint={t('auth.passwordHint', { count: MIN_PASSWORD })}>
          <Input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Button type="submit" disabled={accept.isPending} className="w-full" data-testid="accept-invite">
          {accept.isPending && <Loader2 className="animate-spin" />}
          {t('invite.createAndJoin')}
        </Button>
      </form>
    </AuthLayout>
  )
}
