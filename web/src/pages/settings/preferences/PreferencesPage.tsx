import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Check, Loader2 } from 'lucide-react'
import { usePreferences, useUpdatePreferences } from '@/api/hooks/me'
import type { Preferences, PreferencesPatch } from '@/api/types'
import { Checkbox, Section, SettingsPage } from '@/components/settings/SettingsPage'
import { Input, NativeSelect } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/misc'
import { setTheme, type Theme } from '@/hooks/useTheme'
import { isLanguage } from '@/hooks/useFollowPreferences'
import { LANGUAGES, setLanguage } from '@/i18n'
import { setDisplayTimeZone } from '@/lib/format'
import { ThemeChoice } from './ThemeChoice'
import { TimezonePicker } from './TimezonePicker'
import { errorText, toastError } from '@/api/errors'
import { CalendarFeedSection } from './CalendarFeedSection'
import { PushButton } from './PushButton'

export const NOTIFICATION_EVENTS = ['mention', 'lead_assigned', 'task_assigned', 'task_due', 'comment', 'reminder'] as const
const CHANNELS = ['in_app', 'email', 'push'] as const

/** Theme, language, time zone, notifications and quiet hours; every change is saved and applied at once. */
export default function PreferencesPage() {
  const { t } = useTranslation()
  const prefs = usePreferences()
  const update = useUpdatePreferences()
  const tzId = useId()
  const langId = useId()

  // What the user just chose, shown in the same render as the click: the
  // query cache notifies its readers a tick later, and a controlled checkbox
  // would flip back in between. Cleared once every save has settled.
  const [chosen, setChosen] = useState<PreferencesPatch>({})
  const save = (patch: PreferencesPatch) => {
    setChosen((c) => ({ ...c, ...patch }))
    update.mutate(patch, {
      onError: (e) => {
        setChosen({})
        toastError(e, t('prefs.saveFailed'))
      },
      onSuccess: () => setChosen({}),
    })
  }

  const status = update.isPending ? (
    <span className="flex items-center gap-1.5 text-xs text-muted-foreground">
      <Loader2 className="size-3.5 animate-spin" />
      {t('prefs.saving')}
    </span>
  ) : update.isSuccess ? (
    <span className="flex items-center gap-1.5 text-xs text-muted-foreground" data-testid="prefs-saved">
      <Check className="size-3.5 text-success" />
      {t('common.saved')}
    </span>
  ) : null

  if (prefs.isError) {
    return (
      <SettingsPage title={t('settings.preferences')} subtitle={t('prefs.subtitle')}>
        <p className="text-sm text-destructive">{errorText(prefs.error)}</p>
      </SettingsPage>
    )
  }
  const p = prefs.data && ({ ...prefs.data, ...chosen } as Preferences)
  return (
    <SettingsPage title={t('settings.preferences')} subtitle={t('prefs.subtitle')} action={status} testId="preferences-page">
      {!p ? (
        <>
          <Skeleton className="h-48" />
          <Skeleton className="h-64" />
        </>
      ) : (
        <>
          <Section title={t('prefs.appearance')} description={t('prefs.appearanceHelp')}>
            <ThemeChoice
              value={p.theme as Theme}
              onChange={(theme) => {
                setTheme(theme)
                save({ theme })
              }}
            />
          </Section>
          <Section title={t('prefs.region')} description={t('prefs.regionHelp')}>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="grid gap-1.5">
                <Label htmlFor={langId}>{t('user.language')}</Label>
                <NativeSelect
                  id={langId}
                  value={p.language}
                  onChange={(e) => {
                    const language = e.target.value
                    if (isLanguage(language)) setLanguage(language)
                    save({ language })
                  }}
                >
                  {LANGUAGES.map((l) => (
                    <option key={l.code} value={l.code} lang={l.code}>
                      {l.label}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor={tzId}>{t('prefs.timezone')}</Label>
                <TimezonePicker
                  id={tzId}
                  value={p.timezone}
                  onChange={(timezone) => {
                    setDisplayTimeZone(timezone)
                    save({ timezone })
                  }}
                />
              </div>
            </div>
          </Section>
          <Notifications prefs={p} onSave={save} />
          <QuietHours prefs={p} onSave={save} />
          <CalendarFeedSection />
        </>
      )}
    </SettingsPage>
  )
}

function Notifications({ prefs, onSave }: { prefs: Preferences; onSave: (p: PreferencesPatch) => void }) {
  const { t } = useTranslation()
  const get = (event: string, ch: (typeof CHANNELS)[number]) => prefs.notifications[event]?.[ch] ?? ch === 'in_app'
  return (
    <Section title={t('prefs.notifications')} description={t('prefs.notificationsHelp')} footer={<PushButton />}>
      <table className="w-full text-[13px]">
        <thead>
          <tr className="text-left text-xs text-muted-foreground">
            <th className="pb-2 font-medium">{t('prefs.event')}</th>
            {CHANNELS.map((ch) => (
              <th key={ch} className="w-16 pb-2 text-center font-medium sm:w-24">
                {t(`prefs.channels.${ch}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y">
          {NOTIFICATION_EVENTS.map((event) => (
            <tr key={event}>
              <td className="py-2.5 pr-2">
                <div className="font-medium">{t(`prefs.events.${event}`)}</div>
                <div className="text-xs text-muted-foreground">{t(`prefs.eventsHelp.${event}`)}</div>
              </td>
              {CHANNELS.map((ch) => (
                <td key={ch} className="text-center">
                  <input
                    type="checkbox"
                    className="size-4 cursor-pointer accent-primary"
                    aria-label={t('prefs.toggle', { event: t(`prefs.events.${event}`), channel: t(`prefs.channels.${ch}`) })}
                    checked={get(event, ch)}
                    onChange={(e) =>
                      onSave({
                        notifications: {
                          ...prefs.notifications,
                          [event]: {
                            in_app: get(event, 'in_app'),
                            email: get(event, 'email'),
                            push: get(event, 'push'),
                            [ch]: e.target.checked,
                          },
                        },
                      })
                    }
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  )
}

function QuietHours({ prefs, onSave }: { prefs: Preferences; onSave: (p: PreferencesPatch) => void }) {
  const { t } = useTranslation()
  const q = prefs.quiet_hours
  const set = (patch: Partial<Preferences['quiet_hours']>) => onSave({ quiet_hours: { ...q, ...patch } })
  return (
    <Section title={t('prefs.quietHours')} description={t('prefs.quietHoursHelp')}>
      <Checkbox label={t('prefs.quietEnabled')} checked={q.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
      <div className="mt-4 flex flex-wrap items-end gap-4">
        <label className="grid gap-1.5 text-[13px] font-medium">
          {t('prefs.quietFrom')}
          <Input
            type="time"
            disabled={!q.enabled}
            defaultValue={q.start}
            key={`s${q.start}`}
            onBlur={(e) => e.target.value && e.target.value !== q.start && set({ start: e.target.value })}
            className="w-32"
          />
        </label>
        <label className="grid gap-1.5 text-[13px] font-medium">
          {t('prefs.quietTo')}
          <Input
            type="time"
            disabled={!q.enabled}
            defaultValue={q.end}
            key={`e${q.end}`}
            onBlur={(e) => e.target.value && e.target.value !== q.end && set({ end: e.target.value })}
            className="w-32"
          />
        </label>
        <p className="pb-2 text-xs text-muted-foreground">{t('prefs.quietTimezone', { timezone: prefs.timezone.replace(/_/g, ' ') })}</p>
      </div>
    </Section>
  )
}
