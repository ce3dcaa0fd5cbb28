/**
 * The calendar grid (FullCalendar: month, week and day views, drag to move,
 * drag an edge to resize, select slots to create). Loaded with the calendar
 * page only, never in the app's first bundle.
 *
 * The widget runs in UTC over wall times (see lib/calendar.ts), so it shows
 * the user's time zone whatever the browser's is.
 */
import { useEffect, useImperativeHandle, useMemo, useRef, type Ref } from 'react'
import FullCalendar from '@fullcalendar/react'
import dayGridPlugin from '@fullcalendar/daygrid'
import timeGridPlugin from '@fullcalendar/timegrid'
import interactionPlugin from '@fullcalendar/interaction'
import ptBrLocale from '@fullcalendar/core/locales/pt-br'
import esLocale from '@fullcalendar/core/locales/es'
import type { EventContentArg, EventDropArg, LocaleInput } from '@fullcalendar/core'
import type { EventResizeDoneArg } from '@fullcalendar/interaction'
import { useTranslation } from 'react-i18next'
import { CheckSquare2, Repeat, Square } from 'lucide-react'
import type { Occurrence } from '@/api/hooks/calendar'
import { wallNow, wallParts, type CalendarItem, type CalendarView as View } from '@/lib/calendar'
import './calendar.css'

const FC_VIEW: Record<View, string> = { month: 'dayGridMonth', week: 'timeGridWeek', day: 'timeGridDay' }
const LOCALES: Record<string, LocaleInput> = { 'pt-BR': ptBrLocale, es: esLocale }

export interface CalendarChange {
  start: Date
  end: Date | null
  allDay: boolean
}

export interface CalendarHandle {
  unselect: () => void
}

export interface CalendarViewProps {
  view: View
  /** The day to show (`YYYY-MM-DD`). */
  date: string
  tz: string
  locale: string
  items: CalendarItem[]
  /** What the widget shows changed: its title ("May 2026") and the days (disguised wall dates, end exclusive). */
  onDates: (info: { title: string; start: Date; end: Date }) => void
  /** Slots were selected (or one clicked): create there. */
  onSelect: (change: CalendarChange) => void
  onOpen: (occurrence: Occurrence) => void
  /** An event was dropped or resized; `revert` puts it back. */
  onChange: (occurrence: Occurrence, change: CalendarChange, revert: () => void) => void
  /** A day's number in the month view was clicked: show that day. */
  onDay: (day: string) => void
  ref?: Ref<CalendarHandle>
}

export default function CalendarView({
  view,
  date,
  tz,
  locale,
  items,
  onDates,
  onSelect,
  onOpen,
  onChange,
  onDay,
  ref,
}: CalendarViewProps) {
  const calendar = useRef<FullCalendar>(null)

  useImperativeHandle(ref, () => ({ unselect: () => calendar.current?.getApi().unselect() }), [])

  // The URL is the source of truth: follow its view and day.
  useEffect(() => {
    const api = calendar.current?.getApi()
    if (!api) return
    if (api.view.type !== FC_VIEW[view]) api.changeView(FC_VIEW[view], date)
    else if (wallParts(api.getDate()).date !== date) api.gotoDate(date)
  }, [view, date])

  const fcLocale = LOCALES[locale]
  const changed = (arg: EventDropArg | EventResizeDoneArg) => {
    const e = arg.event
    if (!e.start) return arg.revert()
    onChange(e.extendedProps.occurrence as Occurrence, { start: e.start, end: e.end, allDay: e.allDay }, arg.revert)
  }
  const now = useMemo(() => () => wallNow(tz), [tz])

  return (
    <div className="lc-calendar h-full min-h-[32rem]" data-testid="calendar" data-view={view}>
      <FullCalendar
        ref={calendar}
        plugins={[dayGridPlugin, timeGridPlugin, interactionPlugin]}
        initialView={FC_VIEW[view]}
        initialDate={date}
        headerToolbar={false}
        timeZone="UTC"
        now={now}
        locale={fcLocale ?? 'en'}
        height="100%"
        nowIndicator
        editable
        eventResizableFromStart={false}
        selectable
        selectMirror
        dayMaxEvents
        eventInteractive
        navLinks
        navLinkDayClick={(d) => onDay(wallParts(d).date)}
        eventTimeFormat={{ hour: 'numeric', minute: '2-digit', meridiem: 'short' }}
        slotDuration="00:30:00"
        snapDuration="00:15:00"
        scrollTime="07:30:00"
        scrollTimeReset={false}
        allDayMaintainDuration
        longPressDelay={350}
        events={items}
        eventContent={renderEvent}
        datesSet={(arg) => onDates({ title: arg.view.title, start: arg.view.activeStart, end: arg.view.activeEnd })}
        select={(arg) => onSelect({ start: arg.start, end: arg.end, allDay: arg.allDay })}
        eventClick={(arg) => {
          arg.jsEvent.preventDefault()
          onOpen(arg.event.extendedProps.occurrence as Occurrence)
        }}
        eventDrop={changed}
        eventResize={changed}
        eventDidMount={(arg) => {
          const o = arg.event.extendedProps.occurrence as Occurrence | undefined
          if (!o) return
          arg.el.dataset.testid = o.kind === 'task' ? 'calendar-task' : 'calendar-event'
          arg.el.dataset.eventId = o.id
          arg.el.dataset.occurrence = o.occurrence_start
        }}
      />
    </div>
  )
}

function renderEvent(arg: EventContentArg) {
  return <EventContent arg={arg} />
}

/** What an event shows: its time and title (read by screen readers too), an icon for a task or a series. */
function EventContent({ arg }: { arg: EventContentArg }) {
  const { t } = useTranslation()
  const o = arg.event.extendedProps.occurrence as Occurrence | undefined
  const task = o?.kind === 'task'
  const Icon = task ? (o?.status === 'done' ? CheckSquare2 : Square) : o?.recurring ? Repeat : null
  const month = arg.view.type === 'dayGridMonth'
  const dot = month && !arg.event.allDay && !task
  const { start, end } = arg.event
  // Up to 45 minutes in the hours grid: one line, the title first, then when it starts.
  const short = !month && !arg.event.allDay && !!start && !!end && end.getTime() - start.getTime() <= 45 * 60_000
  // A task sits at its due time: the grid says when, the title says what.
  const time = task ? '' : short ? arg.timeText.split(/\s+[-–]\s+/)[0] : arg.timeText
  return (
    <div className={short ? 'lc-event-content lc-short' : 'lc-event-content'}>
      {dot && <span className="lc-dot" aria-hidden />}
      {Icon && <Icon className="lc-icon" aria-hidden />}
      {(task || o?.recurring) && <span className="sr-only">{t(task ? 'calendar.task' : 'calendar.repeats')}: </span>}
      {task && arg.timeText && <span className="sr-only">{arg.timeText.split(/\s+[-–]\s+/)[0]} </span>}
      {time && !short && <span className="lc-time">{time}</span>}
      <span className="lc-title">{arg.event.title}</span>
      {time && short && <span className="lc-time">{time}</span>}
    </div>
  )
}
