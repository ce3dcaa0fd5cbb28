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
      // One short line on a phone (a quarter of its screen was too much), the whole sentence from sm up.
      className="flex items-center gap-x-2 border-b border-amber-500/30 bg-amber-500/10 px-3 py-1 text-xs sm:flex-wrap sm:gap-x-3 sm:px-4 sm:py-1.5 sm:text-[13px] md:px-5"
      data-testid="verify-banner"
    >
      <MailWarning className="size-3.5 shrink-0 sm:size-4 text-amber-600 dark:text-amber-400" />
      <span className="min-w-0 flex-1 truncate sm:whitespace-normal">
        <span className="sm:hidden">{t('account.verifyShort')}</span>
        <span className="hidden sm:inline">{t('account.verifyBanner', { email: me.email })}</span>
      </span>
      <ResendVerification variant="link" compact className="h-6 shrink-0 px-0 text-xs sm:text-[13px]" />
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
