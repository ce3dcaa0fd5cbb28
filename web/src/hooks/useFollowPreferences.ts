import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { usePreferences, useUpdatePreferences } from '@/api/hooks/me'
import { useCurrentOrgId } from '@/api/hooks/session'
import { LANGUAGES, setLanguage, type Language } from '@/i18n'
import { setDisplayTimeZone } from '@/lib/format'
import { browserTimeZone } from '@/lib/timezones'
import { setTheme, useTheme, type Theme } from './useTheme'

/** Organizations whose never-saved preferences this tab already filled in (once, even if it failed). */
const seeded = new Set<string>()

export const isLanguage = (code: string): code is Language => LANGUAGES.some((l) => l.code === code)

/**
 * After sign-in (and on switching organization) the browser's theme, language
 * and time zone follow the preferences saved on the server, so the local
 * toggles and the settings page never disagree. Preferences never saved
 * (version 0) start from what this browser uses instead of the server's defaults.
 */
export function useFollowPreferences() {
  const prefs = usePreferences().data
  const save = useUpdatePreferences()
  const { i18n } = useTranslation()
  const { theme } = useTheme()
  const org = useCurrentOrgId()
  useEffect(() => {
    if (!prefs || !org) return
    if (prefs.version === 0) {
      if (!seeded.has(org)) {
        seeded.add(org)
        save.mutate({ theme, language: i18n.language, timezone: browserTimeZone() })
      }
      return
    }
    if (prefs.theme !== theme) setTheme(prefs.theme as Theme)
    if (isLanguage(prefs.language) && prefs.language !== i18n.language) setLanguage(prefs.language)
    setDisplayTimeZone(prefs.timezone)
    // Only a change of the saved preferences re-applies them, not a local toggle.
  }, [org, prefs?.version, prefs?.theme, prefs?.language, prefs?.timezone])
}
