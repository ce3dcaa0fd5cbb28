import { useMutation } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Loader2, MailCheck } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { Button } from '@/components/ui/button'
import { toastError } from '@/api/errors'

/** Sends the verification email again. */
export function ResendVerification({
  className,
  variant = 'outline',
  compact,
}: {
  className?: string
  variant?: 'outline' | 'link'
  /** A short label on phones (the banner's). */
  compact?: boolean
}) {
  const { t } = useTranslation()
  const send = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/verify-email/request')),
    onSuccess: () => toast.success(t('account.verificationSent')),
    onError: (e) => toastError(e, t('account.verificationFailed')),
  })
  return (
    <Button
      type="button"
      size="sm"
      variant={variant}
      className={className}
      disabled={send.isPending || send.isSuccess}
      onClick={() => send.mutate()}
      data-testid="resend-verification"
    >
      {send.isPending ? <Loader2 className="animate-spin" /> : <MailCheck />}
      {send.isSuccess ? (
        t('account.verificationSentShort')
      ) : compact ? (
        <>
          <span className="sm:hidden">{t('account.resendShort')}</span>
          <span className="hidden sm:inline">{t('account.resend')}</span>
        </>
      ) : (
        t('account.resend')
      )}
    </Button>
  )
}
