import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Heart } from 'lucide-react'
import { LANGUAGES, setLanguage, type Language } from '@/i18n'

export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  const { t, i18n } = useTranslation()
  return (
    <div className="grid min-h-full lg:grid-cols-[1fr_1.1fr]">
      <div className="flex flex-col px-6 py-8 sm:px-12">
        <div className="flex items-center justify-between">
          <div className="flex items-center gap-2 font-semibold">
            <span className="flex size-7 items-center justify-center rounded-lg bg-primary text-primary-foreground">
              <Heart className="size-4 fill-current" />
            </span>
            Loved CRM
          </div>
          <select
            aria-label={t('user.language')}
            value={i18n.language}
            onChange={(e) => setLanguage(e.target.value as Language)}
            className="rounded-md border bg-card px-2 py-1 text-xs text-muted-foreground"
          >
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        <div className="mx-auto flex w-full max-w-sm flex-1 flex-col justify-center py-10">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-1.5 text-sm text-muted-foreground">{subtitle}</p>
          <div className="mt-8">{children}</div>
        </div>
      </div>
      <div className="relative hidden overflow-hidden bg-zinc-950 lg:block">
        <div className="absolute inset-0 bg-[radial-gradient(ellipse_at_top_right,oklch(0.55_0.21_12/.55),transparent_60%),radial-gradient(ellipse_at_bottom_left,oklch(0.45_0.15_280/.45),transparent_55%)]" />
        <div className="relative flex h-full flex-col justify-end p-12 text-zinc-100">
          <BoardPreview />
          <p className="mt-10 max-w-md text-2xl font-medium leading-snug tracking-tight">{t('auth.pitch')}</p>
          <p className="mt-3 text-sm text-zinc-400">{t('auth.pitchSub')}</p>
        </div>
      </div>
    </div>
  )
}

/** A decorative glimpse of the board. */
function BoardPreview() {
  const cols = [
    { c: '#60a5fa', w: [70, 50, 60] },
    { c: '#f59e0b', w: [55, 75] },
    { c: '#a78bfa', w: [65] },
    { c: '#34d399', w: [50, 60] },
  ]
  return (
    <div aria-hidden className="flex gap-3">
      {cols.map((col, i) => (
        <div key={i} className="w-36 rounded-lg bg-white/5 p-2 ring-1 ring-white/10">
          <div className="mb-2 h-1 rounded-full" style={{ background: col.c }} />
          {col.w.map((w, j) => (
            <div key={j} className="mb-2 rounded-md bg-white/10 p-2">
              <div className="h-2 rounded bg-white/40" style={{ width: `${w}%` }} />
              <div className="mt-1.5 h-1.5 w-1/2 rounded bg-white/20" />
            </div>
          ))}
        </div>
      ))}
    </div>
  )
}
