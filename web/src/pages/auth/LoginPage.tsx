import { useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Loader2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Field, FormError } from '@/components/forms/Field'
import { AuthLayout } from './AuthLayout'
import { useAuthSubmit } from './useAuthSubmit'

export default function LoginPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { errors, formError, busy, submit } = useAuthSubmit(['email', 'password'])

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault()
    const client: Record<string, string> = {}
    if (!email.trim()) client.email = t('auth.required')
    if (!password) client.password = t('auth.required')
    void submit(async () => {
      const res = unwrap(await api.POST('/api/v1/auth/login', { body: { email: email.trim(), password } }))
      if (!('access_token' in res)) throw new Error(t('auth.twoFactorUnsupported'))
      return res
    }, client)
  }

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
        <Button type="submit" disabled={busy} className="mt-2 w-full">
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
