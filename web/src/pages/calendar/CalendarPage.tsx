import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { CalendarPlus, CheckSquare, ChevronLeft, ChevronRight, Loader2 } from 'lucide-react'
import { toastError } from '@/api/errors'
import { isApiError } from '@/api/problem'
import { calendarKey, fetchEvent, useOccurrences, usePatchEvent, type EditScope, type Occurrence } from '@/api/hooks/calendar'
import { usePreferences } from '@/api/hooks/me'
import { useMembers } from '@/api/hooks/orgs'
import { useCurrentOrgId, useSession } from '@/api/hooks/session'
import { Button } from '@/components/ui/button'
import { NativeSelect } from '@/components/ui/input'
import { Kbd, Skeleton } from '@/components/ui/misc'
import {
  CALENDAR_VIEWS,
  droppedTimes,
  isCalendarView,
  memberColors,
  rangeFor,
  shiftSeries,
  stepDate,
  toCalendarItem,
  type CalendarView as View,
  type EventTimes,
} from '@/lib/calendar'
import { displayTimeZoneOf } from '@/lib/format'
import { browserTimeZone } from '@/lib/timezones'
import { cn } from '@/lib/utils'
import { wallTime } from '@/lib/zoned'
import { TaskDialog } from '../tasks/TaskDialog'
import type { CalendarChange, CalendarHandle } from './CalendarView'
import { EventDialog, type EventDialogTarget } from './EventDialog'
import { useScopeQuestion } from './ScopeDialog'

// FullCalendar is the page's heavy part: it comes in its own chunk, after the page's frame.
const CalendarView = lazy(() => import('./CalendarView'))

const KEYS: Record<string, View> = { m: 'month', w: 'week', d: 'day' }

/** The time zone the calendar shows: the user's preference, else the browser's. */
function useCalendarZone(): string {
  const prefs = usePreferences().data
  return prefs?.timezone || displayTimeZoneOf() || browserTimeZone()
}

/** A click on one time slot (a 15-minute selection) makes an hour-long event; a drag keeps its length. */
function withLength(change: CalendarChange): CalendarChange {
  if (change.allDay || !change.end || change.end.getTime() - change.start.getTime() > 15 * 60_000) return change
  return { ...change, end: new Date(change.start.getTime() + 3_600_000) }
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('[role="dialog"]')
}

/** Month, week and day views of events and tasks with due dates; the view, day and member are in the URL. */
export default function CalendarPage() {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const me = session?.user.id ?? null
  const members = useMembers()
  const tz = useCalendarZone()
  const [params, setParams] = useSearchParams()
  const narrow = typeof window !== 'undefined' && window.matchMedia?.('(max-width: 639px)').matches
  const view: View = isCalendarView(params.get('view')) ? (params.get('view') as View) : narrow ? 'day' : 'week'
  const at = params.get('at')
  const today = wallTime(new Date(), tz).date
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : at ? wallTime(at, tz).date : today
  const memberParam = params.get('member')
  const member = memberParam === 'all' ? null : memberParam || me
  const showTasks = params.get('tasks') !== '0'
  const openEvent = params.get('event')

  const [title, setTitle] = useState('')
  const [range, setRange] = useState<{ from: string; to: string } | null>(null)
  const [dialog, setDialog] = useState<EventDialogTarget | null>(null)
  const [taskId, setTaskId] = useState<string | null>(null)
  const calendar = useRef<CalendarHandle>(null)
  const occurrences = useOccurrences(range, member, showTasks)
  const patch = usePatchEvent()
  const scope = useScopeQuestion()

  useEffect(() => {
    document.title = `${t('nav.calendar')} · Loved CRM`
  }, [t])

  const update = useCallback(
    (changes: Record<string, string | null>, replace = false) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p)
          for (const [k, v] of Object.entries(changes)) {
            if (v === null) next.delete(k)
            else next.set(k, v)
          }
          return next
        },
        { replace },
      ),
    [setParams],
  )

  const go = useCallback(
    (to: { view?: View; date?: string }) => update({ ...(to.view ? { view: to.view } : {}), ...(to.date ? { date: to.date } : {}) }),
    [update],
  )
  const prev = useCallback(() => go({ date: stepDate(date, view, -1) }), [go, date, view])
  const next = useCallback(() => go({ date: stepDate(date, view, 1) }), [go, date, view])
  const goToday = useCallback(() => go({ date: today }), [go, today])
  const newEvent = useCallback(() => {
    const start = new Date(Date.now() + 3_600_000)
    const wall = wallTime(start, tz)
    const day = date === today ? wall.date : date
    const change: CalendarChange = {
      start: new Date(`${day}T${date === today ? wall.time.slice(0, 2) : '09'}:00:00Z`),
      end: null,
      allDay: false,
    }
    setDialog({ mode: 'create', times: droppedTimes(change, tz) })
  }, [date, today, tz])

  // Keyboard: ←/→ (or P/N) previous and next, T today, M/W/D the views, C a new event.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return
      const k = e.key.toLowerCase()
      if (k === 'arrowleft' || k === 'p') prev()
      else if (k === 'arrowright' || k === 'n') next()
      else if (k === 't') goToday()
      else if (KEYS[k]) go({ view: KEYS[k] })
      else if (k === 'c') newEvent()
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [prev, next, goToday, go, newEvent])

  const colors = useMemo(() => memberColors(members.data ?? []), [members.data])
  const items = useMemo(() => (occurrences.data ?? []).map((o) => toCalendarItem(o, tz, { colors })), [occurrences.data, tz, colors])

  const onDates = useCallback(
    ({ title, start, end }: { title: string; start: Date; end: Date }) => {
      setTitle(title)
      setRange(rangeFor(start, end, tz))
    },
    [tz],
  )

  const onOpen = useCallback((o: Occurrence) => {
    if (o.kind === 'task') {
      setTaskId(o.id)
      return
    }
    const times = { starts_at: o.starts_at, ends_at: o.ends_at ?? o.starts_at, all_day: o.all_day }
    setDialog({ mode: 'edit', id: o.id, occurrence: o.recurring ? { ...times, occurrence_start: o.occurrence_start } : undefined })
  }, [])

  const onChange = useCallback(
    async (o: Occurrence, change: CalendarChange, revert: () => void) => {
      const before: EventTimes = { starts_at: o.starts_at, ends_at: o.ends_at ?? o.starts_at, all_day: o.all_day }
      const length = Date.parse(before.ends_at) - Date.parse(before.starts_at)
      const after = droppedTimes(change, tz, before.all_day || length <= 0 ? undefined : length)
      let chosen: EditScope = 'all'
      if (o.recurring) {
        const answer = await scope.ask('change')
        if (!answer) return revert()
        chosen = answer
      }
      try {
        const event = await fetchEvent(o.id)
        const times = o.recurring && chosen === 'all' ? shiftSeries(event, before, after, tz) : after
        await patch.mutateAsync({
          id: o.id,
          version: event.version,
          patch: times,
          scope: chosen,
          occurrence: o.recurring ? o.occurrence_start : undefined,
        })
        toast.success(t('calendar.moved', { title: o.title }))
      } catch (e) {
        revert()
        if (isApiError(e) && e.status === 412) toast.error(t('errors.conflictTitle'), { description: t('errors.conflictBody') })
        else toastError(e, t('calendar.moveFailed'))
      }
    },
    [tz, scope, patch, t],
  )

  const closeDialog = () => {
    setDialog(null)
    calendar.current?.unselect()
    // A linked event (from a reminder or the agenda) leaves the calendar on its day.
    if (openEvent) update({ event: null, at: null, date }, true)
  }
  const target: EventDialogTarget | null = dialog ?? (openEvent ? { mode: 'edit', id: openEvent, occurrenceStart: at ?? undefined } : null)

  const others = (members.data ?? []).filter((m) => m.user_id !== me)
  const viewLabel = (v: View) => t(`calendar.views.${v}`)

  return (
    <div className="flex h-full min-h-0 flex-col px-3 pb-3 pt-4 md:px-5" data-testid="calendar-page">
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <h1 className="flex items-center gap-2 text-lg font-semibold tracking-tight">
            {t('nav.calendar')}
            {occurrences.isFetching && <Loader2 className="size-3.5 animate-spin text-muted-foreground" aria-hidden />}
          </h1>
          <p className="truncate text-xs text-muted-foreground">{t('calendar.subtitle', { zone: tz.replace(/_/g, ' ') })}</p>
        </div>
        <Button
          size="sm"
          onClick={newEvent}
          data-testid="new-event"
          aria-label={t('calendar.newEvent')}
          aria-keyshortcuts="C"
          title={t('calendar.newEventKey')}
        >
          <CalendarPlus />
          <span className="hidden sm:inline">{t('calendar.newEvent')}</span>
        </Button>
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-x-2 gap-y-2" role="toolbar" aria-label={t('calendar.toolbar')}>
        <Button variant="outline" size="sm" onClick={goToday} aria-keyshortcuts="T" title={t('calendar.todayKey')}>
          {t('calendar.today')}
        </Button>
        <div className="flex">
          <Button
            variant="ghost"
            size="icon-sm"
            onClick={prev}
            aria-label={t('calendar.previous')}
            aria-keyshortcuts="ArrowLeft"
            title={t('calendar.previousKey')}
          >
            <ChevronLeft />
          </Button>
          <Button
            variant="ghost"
            size="icon-sm"
            onClick={next}
            aria-label={t('calendar.next')}
            aria-keyshortcuts="ArrowRight"
            title={t('calendar.nextKey')}
          >
            <ChevronRight />
          </Button>
        </div>
        <h2 className="min-w-0 flex-1 truncate text-base font-semibold capitalize" aria-live="polite" data-testid="calendar-title">
          {title}
        </h2>
        <div className="flex w-full min-w-0 items-center gap-2 sm:w-auto">
          <div
            role="radiogroup"
            aria-label={t('calendar.view')}
            className="inline-flex h-8 shrink-0 rounded-md border bg-card p-0.5 shadow-xs"
          >
            {CALENDAR_VIEWS.map((v) => (
              <button
                key={v}
                type="button"
                role="radio"
                aria-checked={view === v}
                aria-keyshortcuts={v[0].toUpperCase()}
                title={t('calendar.viewKey', { view: viewLabel(v), key: v[0].toUpperCase() })}
                onClick={() => go({ view: v })}
                className={cn(
                  'rounded-[5px] px-2.5 text-[13px] font-medium text-muted-foreground transition-colors hover:text-foreground',
                  view === v && 'bg-accent text-foreground shadow-xs',
                )}
              >
                {viewLabel(v)}
              </button>
            ))}
          </div>
          <NativeSelect
            aria-label={t('calendar.member')}
            value={memberParam === 'all' ? 'all' : member && member !== me ? member : 'me'}
            onChange={(e) => update({ member: e.target.value === 'me' ? null : e.target.value })}
            className="h-8 min-w-28 flex-1 text-[13px] sm:w-44 sm:flex-none"
            data-testid="calendar-member"
          >
            <option value="me">{t('calendar.mine')}</option>
            <option value="all">{t('calendar.everyone')}</option>
            {others.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name}
              </option>
            ))}
          </NativeSelect>
          <label className="flex h-8 shrink-0 cursor-pointer items-center gap-1.5 rounded-md border bg-card px-2.5 text-[13px] shadow-xs">
            <input
              type="checkbox"
              className="size-3.5 accent-primary"
              checked={showTasks}
              onChange={(e) => update({ tasks: e.target.checked ? null : '0' })}
            />
            <CheckSquare className="size-3.5 text-muted-foreground sm:hidden" aria-hidden />
            <span className="sr-only sm:not-sr-only">{t('calendar.showTasks')}</span>
          </label>
        </div>
      </div>

      <div className="mt-3 min-h-0 flex-1 rounded-lg border bg-card p-0 shadow-xs">
        <Suspense fallback={<Skeleton className="h-full min-h-[32rem] w-full" />}>
          <CalendarView
            ref={calendar}
            view={view}
            date={date}
            tz={tz}
            locale={i18n.language}
            items={items}
            onDates={onDates}
            onSelect={(change) => setDialog({ mode: 'create', times: droppedTimes(withLength(change), tz) })}
            onOpen={onOpen}
            onChange={(o, change, revert) => void onChange(o, change, revert)}
            onDay={(day) => go({ view: 'day', date: day })}
          />
        </Suspense>
      </div>
      <p className="mt-2 hidden items-center gap-1.5 text-[11px] text-muted-foreground md:flex">
        {t('calendar.keys')}
        <Kbd>←</Kbd>
        <Kbd>→</Kbd>
        <Kbd>T</Kbd>
        <Kbd>M</Kbd>
        <Kbd>W</Kbd>
        <Kbd>D</Kbd>
        <Kbd>C</Kbd>
      </p>

      {target && <EventDialog key={target.mode === 'edit' ? target.id : 'new'} target={target} tz={tz} onClose={closeDialog} />}
      {taskId && (
        <TaskDialog
          id={taskId}
          onClose={() => {
            setTaskId(null)
            // A changed due date or status shows at once, without waiting for the live event.
            void qc.invalidateQueries({ queryKey: calendarKey(org) })
          }}
        />
      )}
      {scope.dialog}
    </div>
  )
}
