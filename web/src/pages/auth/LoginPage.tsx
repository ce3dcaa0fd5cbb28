import { useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Loader2, ShieldCheck } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import type { TokenResponse } from '@/api/session'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Field, FormError } from '@/components/forms/Field'
import { AuthLayout } from './AuthLayout'
import { useAuthSubmit } from './useAuthSubmit'

interface Challenge {
  token: string
  expiresAt: number
}

export default function LoginPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [challenge, setChallenge] = useState<Challenge | null>(null)
  const { errors, formError, busy, submit } = useAuthSubmit(['email', 'password'])

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault()
    const client: Record<string, string> = {}
    if (!email.trim()) client.email = t('auth.required')
    if (!password) client.password = t('auth.required')
    void submit(async () => {
      const res = unwrap(await api.POST('/api/v1/auth/login', { body: { email: email.trim(), password } }))
      if ('access_token' in res) return res
      // Two-factor: the password was right; the code comes next.
      setChallenge({ token: res.challenge_token, expiresAt: Date.now() + res.expires_in * 1000 })
      return null
    }, client)
  }

  if (challenge) return <TwoFactorStep challenge={challenge} onBack={() => setChallenge(null)} />

  return (
    <AuthLayout title={t('auth.loginTitle')} subtitle={t('auth.loginSubtitle')}>
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        <FormError message={formError} />
        <Field label={t('auth.email')} error={errors.email}>
          <Input type="email" name="email" autoComplete="email" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label={t('auth.password')} error={errors.password}>
          <Input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Link to="/forgot-password" className="-mt-2 justify-self-end text-xs font-medium text-primary hover:underline">
          {t('auth.forgot')}
        </Link>
        <Button type="submit" disabled={busy} className="w-full">
          {busy && <Loader2 className="animate-spin" />}
          {t('auth.signIn')}
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        {t('auth.noAccount')}{' '}
        <Link to={{ pathname: '/register', search: params.toString() }} className="font-medium text-primary hover:underline">
          {t('auth.createAccount')}
        </Link>
      </p>
    </AuthLayout>
  )
}

/** The second step of a login with 2FA: a code from the authenticator app, or a backup code. */
function TwoFactorStep({ challenge, onBack }: { challenge: Challenge; onBack: () => void }) {
  const { t } = useTranslation()
  const [code, setCode] = useState('')
  const [backup, setBackup] = useState(false)
  const { errors, formError, busy, submit } = useAuthSubmit(['code'])

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault()
    const clean = backup ? code.trim() : code.replace(/\s/g, '')
    const client: Record<string, string> = {}
    if (!clean) client.code = t('auth.required')
    else if (Date.now() > challenge.expiresAt) client.code = t('auth.challengeExpired')
    void submit(
      async (): Promise<TokenResponse> =>
        unwrap(await api.POST('/api/v1/auth/login/2fa', { body: { challenge_token: challenge.token, code: clean } })),
      client,
    )
  }

  return (
    <AuthLayout title={t('auth.twoFactorTitle')} subtitle={backup ? t('auth.backupSubtitle') : t('auth.twoFactorSubtitle')}>
      <form onSubmit={onSubmit} noValidate className="grid gap-4" data-testid="two-factor-step">
        <FormError message={formError} />
        <Field label={backup ? t('auth.backupCode') : t('auth.code')} error={errors.code}>
          <Input
            name="code"
            autoFocus
            key={String(backup)}
            autoComplete="one-time-code"
            inputMode={backup ? 'text' : 'numeric'}
            maxLength={backup ? 32 : 7}
            placeholder={backup ? 'xxxx-xxxx' : '123456'}
            className="font-mono tracking-widest"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </Field>
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? <Loader2 className="animate-spin" /> : <ShieldCheck />}
          {t('auth.verify')}
        </Button>
        <div className="flex flex-wrap justify-between gap-2 text-xs">
          <button type="button" className="font-medium text-primary hover:underline" onClick={() => (setBackup(!backup), setCode(''))}>
            {backup ? t('auth.useApp') : t('auth.useBackup')}
          </button>
          <button type="button" className="text-muted-foreground hover:text-foreground hover:underline" onClick={onBack}>
            {t('auth.backToLogin')}
          </button>
        </div>
      </form>
    </AuthLayout>
  )
}
