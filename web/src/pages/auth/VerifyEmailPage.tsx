import { useEffect, useRef } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { CircleCheck, CircleX, Loader2 } from 'lucide-react'
import { api, isSignedIn } from '@/api/client'
import { unwrap } from '@/api/problem'
import { Button } from '@/components/ui/button'
import { AuthLayout } from './AuthLayout'

/** Confirms the address with the token from the emailed link (`/verify-email?token=`), once. */
export default function VerifyEmailPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const qc = useQueryClient()
  const verify = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/verify-email', { body: { token } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me'] }),
  })
  const sent = useRef(false)
  useEffect(() => {
    if (token && !sent.current) {
      sent.current = true
      verify.mutate()
    }
  }, [token, verify])

  const home = isSignedIn() ? '/' : '/login'
  if (verify.isSuccess) {
    return (
      <AuthLayout title={t('auth.verifiedTitle')} subtitle={t('auth.verifiedBody')}>
        <div className="flex flex-col items-center gap-6" data-testid="email-verified-done">
          <CircleCheck className="size-10 text-success" />
          <Button asChild className="w-full">
            <Link to={home}>{t('auth.continue')}</Link>
          </Button>
        </div>
      </AuthLayout>
    )
  }
  if (verify.isError || !token) {
    return (
      <AuthLayout title={t('auth.verifyFailedTitle')} subtitle={t('auth.verifyFailedBody')}>
        <div className="flex flex-col items-center gap-6" data-testid="email-verify-failed">
          <CircleX className="size-10 text-destructive" />
          <Button asChild variant="outline" className="w-full">
            <Link to={isSignedIn() ? '/settings/profile' : '/login'}>{isSignedIn() ? t('auth.toProfile') : t('auth.signIn')}</Link>
          </Button>
        </div>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={t('auth.verifyingTitle')} subtitle={t('auth.verifyingBody')}>
      <div className="flex justify-center">
        <Loader2 className="size-8 animate-spin text-muted-foreground" />
      </div>
    </AuthLayout>
  )
}
