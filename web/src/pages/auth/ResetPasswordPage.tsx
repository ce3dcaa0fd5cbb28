import { useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useMutation } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { CircleCheck, Loader2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { AuthLayout } from './AuthLayout'

const MIN_PASSWORD = 10

/** Sets a new password with the token from the emailed link (`/reset-password?token=`). */
export default function ResetPasswordPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(token ? null : t('auth.linkInvalid'))
  const reset = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/password/reset', { body: { token, new_password: password } })),
    onError: (e) => {
      const mapped = fieldErrors(e, ['new_password'])
      setErrors({ password: mapped.fields.new_password })
      setFormError(mapped.form)
    },
  })

  if (reset.isSuccess) {
    return (
      <AuthLayout title={t('auth.resetDoneTitle')} subtitle={t('auth.resetDoneBody')}>
        <div className="flex flex-col items-center gap-6" data-testid="reset-done">
          <CircleCheck className="size-10 text-success" />
          <Button asChild className="w-full">
            <Link to="/login">{t('auth.signIn')}</Link>
          </Button>
        </div>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={t('auth.resetTitle')} subtitle={t('auth.resetSubtitle')}>
      <form
        noValidate
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault()
          setFormError(null)
          const client: Record<string, string> = {}
          if (password.length < MIN_PASSWORD) client.password = t('auth.passwordTooShort', { count: MIN_PASSWORD })
          else if (password !== confirm) client.confirm = t('auth.passwordsDiffer')
          setErrors(client)
          if (!Object.keys(client).length) reset.mutate()
        }}
      >
        <FormError message={formError} />
        <Field label={t('auth.newPassword')} error={errors.password} hint={t('auth.passwordHint', { count: MIN_PASSWORD })}>
          <Input type="password" autoComplete="new-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Field label={t('auth.confirmPassword')} error={errors.confirm}>
          <Input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </Field>
        <Button type="submit" disabled={reset.isPending || !token} className="w-full">
          {reset.isPending && <Loader2 className="animate-spin" />}
          {t('auth.setPassword')}
        </Button>
        <Link to="/forgot-password" className="text-center text-sm text-muted-foreground hover:text-foreground hover:underline">
          {t('auth.newLink')}
        </Link>
      </form>
    </AuthLayout>
  )
}
