import { useTranslation } from 'react-i18next'
import { Monitor, Moon, Sun } from 'lucide-react'
import type { Theme } from '@/hooks/useTheme'
import { cn } from '@/lib/utils'

const THEMES = [
  ['light', Sun],
  ['dark', Moon],
  ['system', Monitor],
] as const

/** A miniature of the app in one theme. */
function Preview({ dark }: { dark: boolean }) {
  return (
    <div
      aria-hidden
      className={cn('flex h-16 overflow-hidden rounded-md border', dark ? 'border-zinc-700 bg-zinc-900' : 'border-zinc-200 bg-zinc-50')}
    >
      <div className={cn('w-6 border-r', dark ? 'border-zinc-700 bg-zinc-800' : 'border-zinc-200 bg-zinc-100')} />
      <div className="flex flex-1 flex-col gap-1.5 p-2">
        <div className={cn('h-1.5 w-10 rounded', dark ? 'bg-zinc-600' : 'bg-zinc-300')} />
        <div className="flex gap-1.5">
          <div className={cn('h-7 flex-1 rounded', dark ? 'bg-zinc-800' : 'bg-white shadow-xs')} />
          <div className={cn('h-7 flex-1 rounded', dark ? 'bg-zinc-800' : 'bg-white shadow-xs')} />
        </div>
      </div>
    </div>
  )
}

/** Light, dark or the system's setting, as three cards in a radio group. */
export function ThemeChoice({ value, onChange }: { value: Theme; onChange: (t: Theme) => void }) {
  const { t } = useTranslation()
  return (
    <div role="radiogroup" aria-label={t('user.theme')} className="grid grid-cols-3 gap-3">
      {THEMES.map(([theme, Icon]) => (
        <label
          key={theme}
          className={cn(
            'cursor-pointer rounded-lg border p-2 transition-colors hover:bg-accent has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
            value === theme && 'border-primary ring-1 ring-primary',
          )}
        >
          <input type="radio" name="theme" value={theme} checked={value === theme} onChange={() => onChange(theme)} className="sr-only" />
          {theme === 'system' ? (
            <div className="grid grid-cols-2 overflow-hidden rounded-md">
              <div className="overflow-hidden">
                <Preview dark={false} />
              </div>
              <div className="overflow-hidden">
                <Preview dark />
              </div>
            </div>
          ) : (
            <Preview dark={theme === 'dark'} />
          )}
          <span className="mt-2 flex items-center gap-1.5 text-[13px] font-medium">
            <Icon className="size-3.5 text-muted-foreground" />
            {t(theme === 'light' ? 'user.themeLight' : theme === 'dark' ? 'user.themeDark' : 'user.themeSystem')}
          </span>
        </label>
      ))}
    </div>
  )
}
