import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Languages, LogOut, MessageSquareWarning, Monitor, Moon, Sun } from 'lucide-react'
import { openFeedback } from '@/components/feedback/feedbackStore'
import { useSession } from '@/api/hooks/session'
import { useUpdatePreferences } from '@/api/hooks/me'
import { logout } from '@/api/session'
import { LANGUAGES, setLanguage, type Language } from '@/i18n'
import { useTheme, type Theme } from '@/hooks/useTheme'
import { Avatar } from '@/components/ui/misc'
import { cn } from '@/lib/utils'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'

export function UserMenu() {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const { theme, setTheme } = useTheme()
  // The quick toggles also save the preference, so the next sign-in keeps them.
  const savePrefs = useUpdatePreferences()
  const qc = useQueryClient()
  const navigate = useNavigate()
  if (!session) return null
  const ThemeIcon = theme === 'dark' ? Moon : theme === 'light' ? Sun : Monitor

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex items-center gap-2 rounded-full p-0.5 pr-0.5 hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring sm:rounded-md sm:px-1.5 sm:py-1"
        aria-label={t('user.menu')}
        data-testid="user-menu"
      >
        <Avatar name={session.user.name} className="size-7 text-[11px]" />
        <span className="hidden max-w-[10rem] truncate text-[13px] font-medium sm:block">{session.user.name}</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="font-normal">
          <div className="truncate text-[13px] font-medium text-foreground">{session.user.name}</div>
          <div className="truncate text-xs">{session.user.email}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="flex items-center gap-1.5 pb-1">
          <Languages className="size-3.5" />
          {t('user.language')}
        </DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={i18n.language}
          onValueChange={(v) => {
            setLanguage(v as Language)
            savePrefs.mutate({ language: v })
          }}
          data-testid="language-menu"
        >
          {LANGUAGES.map((l) => (
            <DropdownMenuRadioItem key={l.code} value={l.code} lang={l.code}>
              {l.label}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="flex items-center gap-1.5 pb-1">
          <ThemeIcon className="size-3.5" />
          {t('user.theme')}
        </DropdownMenuLabel>
        <div role="group" aria-label={t('user.theme')} className="grid grid-cols-3 gap-1 px-1 pb-1">
          {(
            [
              ['light', Sun, 'user.themeLight'],
              ['dark', Moon, 'user.themeDark'],
              ['system', Monitor, 'user.themeSystem'],
            ] as const
          ).map(([value, Icon, label]) => (
            <DropdownMenuItem
              key={value}
              onSelect={(e) => {
                e.preventDefault()
                setTheme(value as Theme)
                savePrefs.mutate({ theme: value as Theme })
              }}
              aria-pressed={theme === value}
              className={cn('flex-col gap-1 px-1 py-2 text-[11px]', theme === value && 'bg-accent font-medium')}
            >
              <Icon />
              {t(label)}
            </DropdownMenuItem>
          ))}
        </div>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => openFeedback()} data-testid="open-feedback">
          <MessageSquareWarning />
          {t('feedback.send')}
        </DropdownMenuItem>
        <DropdownMenuItem
          onSelect={async () => {
            await logout()
            qc.clear()
            navigate('/login')
          }}
        >
          <LogOut />
          {t('user.signOut')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
