import { useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ShieldAlert } from 'lucide-react'
import { SettingsPage } from '@/components/settings/SettingsPage'
import { PasswordSection } from './PasswordSection'
import { SessionsSection } from './SessionsSection'
import { TwoFactorSection } from './TwoFactorSection'

/** Two-factor authentication, password and signed-in sessions. */
export default function SecurityPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  return (
    <SettingsPage title={t('settings.security')} subtitle={t('security.subtitle')} testId="security-page">
      {params.get('required') === '2fa' && (
        <div
          role="alert"
          className="flex gap-3 rounded-lg border border-amber-500/40 bg-amber-500/10 p-4 text-[13px]"
          data-testid="two-factor-required"
        >
          <ShieldAlert className="size-5 shrink-0 text-amber-600 dark:text-amber-400" />
          <div>
            <div className="font-semibold">{t('security.requiredTitle')}</div>
            <p className="mt-0.5 text-muted-foreground">{t('security.requiredBody')}</p>
          </div>
        </div>
      )}
      <TwoFactorSection />
      <PasswordSection />
      <SessionsSection />
    </SettingsPage>
  )
}
