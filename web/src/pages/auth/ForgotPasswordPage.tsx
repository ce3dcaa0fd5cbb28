import { useState } from 'react'
import { Link } from 'react-router-dom'
import { useMutation } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Loader2, MailCheck } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { AuthLayout } from './AuthLayout'

/** Asks for a reset link. The answer is the same whether or not the account exists. */
export default function ForgotPasswordPage() {
  const { t } = useTranslation()
  const [email, setEmail] = useState('')
  const [error, setError] = useState<string | null>(null)
  const send = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/password/forgot', { body: { email: email.trim() } })),
    onError: (e) => setError(fieldErrors(e, []).form),
  })

  if (send.isSuccess) {
    return (
      <AuthLayout title={t('auth.checkEmailTitle')} subtitle={t('auth.checkEmailBody', { email: email.trim() })}>
        <div className="flex flex-col items-center gap-6 text-center" data-testid="forgot-sent">
          <span className="flex size-12 items-center justify-center rounded-full bg-primary/10 text-primary">
            <MailCheck className="size-6" />
          </span>
          <p className="text-sm text-muted-foreground">{t('auth.checkEmailHint')}</p>
          <Link to="/login" className="text-sm font-medium text-primary hover:underline">
            {t('auth.backToLogin')}
          </Link>
        </div>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={t('auth.forgotTitle')} subtitle={t('auth.forgotSubtitle')}>
      <form
        noValidate
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          if (!email.trim()) return setError(t('auth.required'))
          send.mutate()
        }}
      >
        <FormError message={error} />
        <Field label={t('auth.email')}>
          <Input type="email" autoComplete="email" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Button type="submit" disabled={send.isPending} className="w-full">
          {send.isPending && <Loader2 className="animate-spin" />}
          {t('auth.sendLink')}
        </Button>
        <Link to="/login" className="text-center text-sm text-muted-foreground hover:text-foreground hover:underline">
          {t('auth.backToLogin')}
        </Link>
      </form>
    </AuthLayout>
  )
}
