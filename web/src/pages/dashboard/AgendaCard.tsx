import { useState } from 'react'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ArrowRight, CalendarDays, CheckSquare2, MapPin, Repeat, Square } from 'lucide-react'
import { errorText } from '@/api/errors'
import { useOccurrences, type Occurrence } from '@/api/hooks/calendar'
import { usePreferences } from '@/api/hooks/me'
import { useMembers } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { Card, Skeleton } from '@/components/ui/misc'
import { agendaDays, memberColors, ownerSlot } from '@/lib/calendar'
import { displayTimeZoneOf, formatDay, formatTime } from '@/lib/format'
import { browserTimeZone } from '@/lib/timezones'
import { cn } from '@/lib/utils'
import { addDays, wallTime } from '@/lib/zoned'

const DAYS = 7
/** More than this and the card links to the calendar for the rest. */
const MAX_ITEMS = 8

const DOT = [
  'bg-[oklch(0.58_0.17_255)]',
  'bg-[oklch(0.6_0.15_160)]',
  'bg-[oklch(0.62_0.17_45)]',
  'bg-[oklch(0.56_0.2_300)]',
  'bg-[oklch(0.57_0.19_12)]',
  'bg-[oklch(0.6_0.12_200)]',
]

function hrefOf(o: Occurrence): string {
  if (o.kind === 'task') return `/tasks?task=${encodeURIComponent(o.id)}`
  return `/calendar?event=${encodeURIComponent(o.id)}&at=${encodeURIComponent(o.occurrence_start)}`
}

/** My next seven days: events and tasks with due dates, by day, each a link. */
export function AgendaCard({ className }: { className?: string }) {
  const { t, i18n } = useTranslation()
  const me = useSession()?.user.id ?? null
  const tz = usePreferences().data?.timezone || displayTimeZoneOf() || browserTimeZone()
  // Fixed while the card is shown: the query's key must not change every render.
  const [range] = useState(() => {
    const now = new Date()
    now.setSeconds(0, 0)
    return { from: now.toISOString(), to: new Date(now.getTime() + DAYS * 86_400_000).toISOString() }
  })
  const list = useOccurrences(range, me, true)
  const today = wallTime(new Date(), tz).date
  const days = list.data ? agendaDays(list.data, new Date(range.from), tz) : []
  let shown = 0
  const total = list.data?.length ?? 0

  const dayName = (day: string) =>
    day === today ? t('calendar.agenda.today') : day === addDays(today, 1) ? t('calendar.agenda.tomorrow') : weekday(day, i18n.language)

  return (
    <Card className={cn('flex flex-col', className)} data-testid="agenda-card">
      <div className="flex items-center gap-2 px-5 pb-2 pt-4">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold">{t('calendar.agenda.title')}</h2>
          <p className="text-xs text-muted-foreground">{t('calendar.agenda.subtitle')}</p>
        </div>
        <Link to="/calendar" className="ml-auto flex shrink-0 items-center gap-1 text-xs font-medium text-primary hover:underline">
          {t('calendar.agenda.open')}
          <ArrowRight className="size-3" />
        </Link>
      </div>
      <div className="min-h-0 flex-1 px-5 pb-4">
        {list.isError ? (
          <p className="text-sm text-destructive">{errorText(list.error)}</p>
        ) : !list.data ? (
          <div className="space-y-2 pt-2">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-9" />
            <Skeleton className="h-9" />
          </div>
        ) : total === 0 ? (
          <div className="flex flex-col items-center gap-2 py-6 text-center text-sm text-muted-foreground">
            <CalendarDays className="size-6" />
            {t('calendar.agenda.empty')}
            <Link to="/calendar" className="text-xs font-medium text-primary hover:underline">
              {t('calendar.agenda.plan')}
            </Link>
          </div>
        ) : (
          <div className="grid gap-3">
            {days.map(({ day, items }) => {
              if (shown >= MAX_ITEMS) return null
              const visible = items.slice(0, MAX_ITEMS - shown)
              shown += visible.length
              return (
                <section key={day} aria-label={dayName(day)}>
                  <h3 className="mb-1 text-[11px] font-medium uppercase tracking-wide text-muted-foreground">
                    <Link to={`/calendar?view=day&date=${day}`} className="hover:text-foreground hover:underline">
                      {dayName(day)}
                    </Link>
                  </h3>
                  <ul className="grid gap-0.5">
                    {visible.map((o) => (
                      <AgendaItem key={`${o.kind}:${o.id}:${o.occurrence_start}`} o={o} />
                    ))}
                  </ul>
                </section>
              )
            })}
            {total > shown && (
              <Link to="/calendar" className="text-xs font-medium text-primary hover:underline">
                {t('calendar.agenda.more', { count: total - shown })}
              </Link>
            )}
          </div>
        )}
      </div>
    </Card>
  )
}

function weekday(day: string, locale: string): string {
  const d = new Date(`${day}T12:00:00Z`)
  const name = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(d)
  return `${name}, ${formatDay(day, locale)}`
}

function AgendaItem({ o }: { o: Occurrence }) {
  const { t, i18n } = useTranslation()
  const members = useMembers().data
  const slot = ownerSlot(o.owner_id, members ? memberColors(members) : undefined)
  const task = o.kind === 'task'
  const Icon = task ? (o.status === 'done' ? CheckSquare2 : Square) : null
  const time = o.all_day ? t('calendar.allDay') : formatTime(o.starts_at, i18n.language)
  return (
    <li>
      <Link
        to={hrefOf(o)}
        className="flex min-w-0 items-center gap-2.5 rounded-md px-2 py-1.5 text-[13px] hover:bg-accent focus-visible:bg-accent"
        data-testid="agenda-item"
      >
        <span className="w-16 shrink-0 text-xs tabular-nums text-muted-foreground">{time}</span>
        {Icon ? (
          <Icon className="size-3.5 shrink-0 text-muted-foreground" aria-label={t('calendar.task')} />
        ) : (
          <span className={cn('size-2 shrink-0 rounded-full', DOT[slot])} aria-hidden />
        )}
        <span className={cn('min-w-0 flex-1 truncate font-medium', task && o.status === 'done' && 'text-muted-foreground line-through')}>
          {o.title}
        </span>
        {o.recurring && <Repeat className="size-3 shrink-0 text-muted-foreground" aria-label={t('calendar.repeats')} />}
        {o.location && (
          <span className="hidden max-w-[40%] items-center gap-1 truncate text-xs text-muted-foreground sm:flex">
            <MapPin className="size-3 shrink-0" aria-hidden />
            <span className="truncate">{o.location}</span>
          </span>
        )}
      </Link>
    </li>
  )
}
