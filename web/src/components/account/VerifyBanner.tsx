import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MailWarning, X } from 'lucide-react'
import { useMe } from '@/api/hooks/me'
import { ResendVerification } from './ResendVerification'

const KEY = 'lovedcrm.verifyBannerHidden'

/** Reminds a user whose email is not verified yet, with a way to get the link again. */
export function VerifyBanner() {
  const { t } = useTranslation()
  const me = useMe().data
  const [hidden, setHidden] = useState(() => sessionStorage.getItem(KEY) === '1')
  if (!me || me.email_verified || hidden) return null
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-amber-500/30 bg-amber-500/10 px-4 py-1.5 text-[13px] md:px-5"
      data-testid="verify-banner"
    >
      <MailWarning className="size-4 shrink-0 text-amber-600 dark:text-amber-400" />
      <span className="min-w-0 flex-1">{t('account.verifyBanner', { email: me.email })}</span>
      <ResendVerification variant="link" className="h-6 px-0" />
      <button
        type="button"
        aria-label={t('account.hideBanner')}
        className="rounded p-1 text-muted-foreground hover:bg-amber-500/20 hover:text-foreground"
        onClick={() => {
          sessionStorage.setItem(KEY, '1')
          setHidden(true)
        }}
      >
        <X className="size-3.5" />
      </button>
    </div>
  )
}
