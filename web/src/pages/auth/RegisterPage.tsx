import { useState } from 'react'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Loader2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Field, FormError } from '@/components/forms/Field'
import { AuthLayout } from './AuthLayout'
import { useAuthSubmit } from './useAuthSubmit'

const MIN_PASSWORD = 10

export default function RegisterPage() {
  const { t } = useTranslation()
  const [form, setForm] = useState({ name: '', email: '', password: '', organization_name: '' })
  const { errors, formError, busy, submit } = useAuthSubmit(['name', 'email', 'password', 'organization_name'])
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value })

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault()
    const client: Record<string, string> = {}
    if (!form.name.trim()) client.name = t('auth.required')
    if (!form.email.trim()) client.email = t('auth.required')
    if (form.password.length < MIN_PASSWORD) client.password = t('auth.passwordTooShort', { count: MIN_PASSWORD })
    void submit(
      async () =>
        unwrap(
          await api.POST('/api/v1/auth/register', {
            body: {
              name: form.name.trim(),
              email: form.email.trim(),
              password: form.password,
              organization_name: form.organization_name.trim() || null,
            },
          }),
        ),
      client,
    )
  }

  return (
    <AuthLayout title={t('auth.registerTitle')} subtitle={t('auth.registerSubtitle')}>
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        <FormError message={formError} />
        <Field label={t('auth.name')} error={errors.name}>
          <Input name="name" autoComplete="name" autoFocus value={form.name} onChange={set('name')} />
        </Field>
        <Field label={t('auth.email')} error={errors.email}>
          <Input type="email" name="email" autoComplete="email" value={form.email} onChange={set('email')} />
        </Field>
        <Field label={t('auth.password')} error={errors.password} hint={t('auth.passwordHint', { count: MIN_PASSWORD })}>
          <Input type="password" name="password" autoComplete="new-password" value={form.password} onChange={set('password')} />
        </Field>
        <Field label={t('auth.organization')} error={errors.organization_name} hint={t('auth.organizationHint')}>
          <Input name="organization_name" autoComplete="organization" value={form.organization_name} onChange={set('organization_name')} />
        </Field>
        <Button type="submit" disabled={busy} className="mt-2 w-full">
          {busy && <Loader2 className="animate-spin" />}
          {t('auth.createAccount')}
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        {t('auth.haveAccount')}{' '}
        <Link to="/login" className="font-medium text-primary hover:underline">
          {t('auth.signIn')}
        </Link>
      </p>
    </AuthLayout>
  )
}
