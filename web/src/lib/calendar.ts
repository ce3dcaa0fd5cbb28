/**
 * The calendar's arithmetic, apart from the calendar widget.
 *
 * The widget (FullCalendar) runs in UTC and is given *wall times*: an event at
 * 14:00 in the user's zone is handed over as `…T14:00:00` read as UTC, so it
 * shows at 14:00 whatever the browser's own zone is, with no time-zone plugin.
 * What the widget hands back (a drop, a selection) is a wall time in the same
 * disguise, turned into a real instant with `instantOf` in that zone.
 *
 * All-day events are days, not instants: the API keeps them at 00:00 UTC of
 * the first day and of the day after the last (end exclusive), and they are
 * never shifted into a zone.
 */
import { addDays, instantOf, wallTime } from './zoned'

/** One item of `GET /events/occurrences`: an event's occurrence or a task at its due time. */
export interface OccurrenceLike {
  kind: 'event' | 'task' | string
  id: string
  occurrence_start: string
  starts_at: string
  ends_at?: string | null
  all_day: boolean
  title: string
  location?: string | null
  recurring: boolean
  owner_id?: string | null
  status?: string | null
}

/** Start, end and all-day of an event as the API takes them. */
export interface EventTimes {
  starts_at: string
  ends_at: string
  all_day: boolean
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** A task shows as a half-hour block at its due time. */
export const TASK_BLOCK_MS = 30 * MINUTE
/** A task due at this wall time was given a day only (see `END_OF_DAY`): it shows as an all-day item. */
const TASK_DAY_ONLY = '23:59'

/** The UTC calendar day of an instant (`2026-05-04T00:00:00Z` → `2026-05-04`). */
export function utcDay(at: Date | string): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10)
}

/** 00:00 UTC of a day: how the API keeps an all-day boundary. */
export function allDayInstant(day: string): string {
  return `${day}T00:00:00Z`
}

/** An instant's wall time in `tz` as a floating ISO string (`2026-05-04T14:00:00`) for the widget. */
export function toWall(iso: string, tz?: string): string {
  const w = wallTime(iso, tz)
  return `${w.date}T${w.time}:00`
}

/** The widget's disguised date (a wall time read as UTC) as its day and time (`14:30`). */
export function wallParts(d: Date): { date: string; time: string } {
  const iso = d.toISOString()
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) }
}

/** The real instant (ISO, UTC) of a widget date, whose UTC fields are a wall time in `tz`. */
export function fromWall(d: Date, tz?: string): string {
  const { date, time } = wallParts(d)
  return instantOf(date, time, tz) ?? d.toISOString()
}

/** "Now" for the widget: the current wall time in `tz`, disguised as UTC (for the now line and Today). */
export function wallNow(tz?: string, now: Date = new Date()): Date {
  return new Date(`${toWall(now.toISOString(), tz)}Z`)
}

/**
 * The instants to ask the API for what the widget shows from `start` to `end`
 * (its disguised days): midnight to midnight in `tz`, one day wider on each
 * side so an all-day event (kept in UTC days) at either edge is never missed.
 */
export function rangeFor(start: Date, end: Date, tz?: string): { from: string; to: string } {
  const from = instantOf(addDays(utcDay(start), -1), '00:00', tz) ?? start.toISOString()
  const to = instantOf(addDays(utcDay(end), 1), '00:00', tz) ?? end.toISOString()
  return { from, to }
}

/** The widget's id of an occurrence: an event repeats, so its id alone is not unique. */
export function occurrenceKey(o: Pick<OccurrenceLike, 'kind' | 'id' | 'occurrence_start'>): string {
  return `${o.kind}:${o.id}:${o.occurrence_start}`
}

/** A colour slot (0–5) for a member, so each person's events keep one colour. */
export function colorSlot(id: string | null | undefined, slots = 6): number {
  if (!id) return 0
  let h = 0
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0
  return Math.abs(h) % slots
}

/**
 * Colour slots for the organization's members in the order they joined, so
 * the first six people never share a colour (a hash could give two the same).
 */
export function memberColors(members: { user_id: string; joined_at?: string }[], slots = 6): Map<string, number> {
  const ordered = [...members].sort((a, b) => (a.joined_at ?? '').localeCompare(b.joined_at ?? '') || a.user_id.localeCompare(b.user_id))
  return new Map(ordered.map((m, i) => [m.user_id, i % slots]))
}

/** The colour slot of an event's owner: by member order when known, by hash otherwise. */
export function ownerSlot(ownerId: string | null | undefined, colors?: Map<string, number>): number {
  return (ownerId ? colors?.get(ownerId) : undefined) ?? colorSlot(ownerId)
}

export interface CalendarItem {
  id: string
  title: string
  start: string
  end: string
  allDay: boolean
  editable: boolean
  classNames: string[]
  extendedProps: { occurrence: OccurrenceLike }
}

/**
 * One occurrence as the widget's event: events at their wall times (or days),
 * editable unless read-only; tasks as a point at their due time (a day-only due
 * date as an all-day item), never dragged here, with a look of their own.
 */
export function toCalendarItem(
  o: OccurrenceLike,
  tz?: string,
  { readOnly = false, colors }: { readOnly?: boolean; colors?: Map<string, number> } = {},
): CalendarItem {
  const base = { id: occurrenceKey(o), title: o.title, extendedProps: { occurrence: o } }
  if (o.kind === 'task') {
    const due = wallTime(o.starts_at, tz)
    const classNames = ['lc-task', ...(o.status === 'done' ? ['lc-task-done'] : [])]
    if (o.all_day || due.time === TASK_DAY_ONLY) {
      return { ...base, start: due.date, end: addDays(due.date, 1), allDay: true, editable: false, classNames }
    }
    const start = toWall(o.starts_at, tz)
    const end = new Date(new Date(`${start}Z`).getTime() + TASK_BLOCK_MS).toISOString().slice(0, 19)
    return { ...base, start, end, allDay: false, editable: false, classNames }
  }
  const classNames = ['lc-event', `lc-ev-${ownerSlot(o.owner_id, colors)}`, ...(o.recurring ? ['lc-recurring'] : [])]
  if (o.all_day) {
    const start = utcDay(o.starts_at)
    const endDay = o.ends_at ? utcDay(o.ends_at) : addDays(start, 1)
    return { ...base, start, end: endDay > start ? endDay : addDays(start, 1), allDay: true, editable: !readOnly, classNames }
  }
  const start = toWall(o.starts_at, tz)
  const end = toWall(o.ends_at && o.ends_at > o.starts_at ? o.ends_at : new Date(new Date(o.starts_at).getTime() + HOUR).toISOString(), tz)
  return { ...base, start, end, allDay: false, editable: !readOnly, classNames }
}

/**
 * What a drop or a resize in the widget means for the API: the new start, end
 * and all-day. A widget end may be missing (an event dropped from the all-day
 * row into the hours): a timed event then lasts `timedMs`, an all-day one a day.
 */
export function droppedTimes(
  { start, end, allDay }: { start: Date; end: Date | null; allDay: boolean },
  tz?: string,
  timedMs = HOUR,
): EventTimes {
  if (allDay) {
    const first = utcDay(start)
    const after = end ? utcDay(end) : addDays(first, 1)
    return { starts_at: allDayInstant(first), ends_at: allDayInstant(after > first ? after : addDays(first, 1)), all_day: true }
  }
  const starts_at = fromWall(start, tz)
  const ends_at = end ? fromWall(end, tz) : new Date(new Date(starts_at).getTime() + timedMs).toISOString()
  return { starts_at, ends_at, all_day: false }
}

/** An instant as the widget's disguised wall time in ms (all-day boundaries are already UTC days). */
function wallMs(iso: string, allDay: boolean, tz?: string): number {
  return allDay ? new Date(iso).getTime() : new Date(`${toWall(iso, tz)}Z`).getTime()
}

/** Back from a disguised wall time in ms to the API's value. */
function fromWallMs(ms: number, allDay: boolean, tz?: string): string {
  const d = new Date(ms)
  return allDay ? allDayInstant(utcDay(d)) : fromWall(d, tz)
}

/**
 * Moving one occurrence of a series "for all events" moves the series: the
 * series' own start and end shift by as much as the occurrence's did, on the
 * wall clock (an hour later stays an hour later across a DST change), and a
 * switch between all-day and timed carries the new time of day and length.
 */
export function shiftSeries(series: EventTimes, before: EventTimes, after: EventTimes, tz?: string): EventTimes {
  if (before.all_day === after.all_day) {
    const allDay = after.all_day
    const startDelta = wallMs(after.starts_at, allDay, tz) - wallMs(before.starts_at, allDay, tz)
    const endDelta = wallMs(after.ends_at, allDay, tz) - wallMs(before.ends_at, allDay, tz)
    const starts = wallMs(series.starts_at, allDay, tz) + startDelta
    let ends = wallMs(series.ends_at, allDay, tz) + endDelta
    if (ends <= starts) ends = starts + (allDay ? DAY : HOUR)
    return { starts_at: fromWallMs(starts, allDay, tz), ends_at: fromWallMs(ends, allDay, tz), all_day: allDay }
  }
  // The day moves by as many days as the occurrence's did; the time and length are the new ones.
  const dayOf = (t: EventTimes) => (t.all_day ? utcDay(t.starts_at) : wallTime(t.starts_at, tz).date)
  const days = Math.round((Date.parse(`${dayOf(after)}T00:00:00Z`) - Date.parse(`${dayOf(before)}T00:00:00Z`)) / DAY)
  const seriesDay = addDays(dayOf(series), days)
  if (after.all_day) {
    const length = Math.max(1, Math.round((Date.parse(after.ends_at) - Date.parse(after.starts_at)) / DAY))
    return { starts_at: allDayInstant(seriesDay), ends_at: allDayInstant(addDays(seriesDay, length)), all_day: true }
  }
  const time = wallTime(after.starts_at, tz).time
  const starts_at = instantOf(seriesDay, time, tz) ?? after.starts_at
  const length = Math.max(MINUTE, Date.parse(after.ends_at) - Date.parse(after.starts_at))
  return { starts_at, ends_at: new Date(Date.parse(starts_at) + length).toISOString(), all_day: false }
}

export interface AgendaDay<T> {
  /** `YYYY-MM-DD` in the user's zone. */
  day: string
  items: T[]
}

/**
 * The dashboard's agenda: occurrences grouped by their day in `tz`, days in
 * order, all-day items first within a day, then by start. Anything that began
 * before `now` and still goes on is listed today.
 */
export function agendaDays<T extends OccurrenceLike>(items: T[], now: Date, tz?: string): AgendaDay<T>[] {
  const today = wallTime(now, tz).date
  const byDay = new Map<string, T[]>()
  for (const o of items) {
    let day = o.all_day ? utcDay(o.starts_at) : wallTime(o.starts_at, tz).date
    if (day < today) day = today
    const list = byDay.get(day) ?? []
    list.push(o)
    byDay.set(day, list)
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, list]) => ({
      day,
      items: list.sort((a, b) => Number(b.all_day) - Number(a.all_day) || Date.parse(a.starts_at) - Date.parse(b.starts_at)),
    }))
}

/** The event dialog's date and time inputs for an instant (all-day: the UTC day, no time). */
export function inputsOf(iso: string, allDay: boolean, tz?: string): { date: string; time: string } {
  if (allDay) return { date: utcDay(iso), time: '' }
  return wallTime(iso, tz)
}

/**
 * The API's start and end from the dialog's inputs. All-day: the last day is
 * inclusive in the dialog, exclusive in the API. Timed: wall times in `tz`.
 */
export function timesFromInputs(
  v: { allDay: boolean; startDate: string; startTime: string; endDate: string; endTime: string },
  tz?: string,
): EventTimes | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.startDate)) return null
  if (v.allDay) {
    const last = /^\d{4}-\d{2}-\d{2}$/.test(v.endDate) && v.endDate >= v.startDate ? v.endDate : v.startDate
    return { starts_at: allDayInstant(v.startDate), ends_at: allDayInstant(addDays(last, 1)), all_day: true }
  }
  const starts_at = instantOf(v.startDate, v.startTime || '09:00', tz)
  if (!starts_at) return null
  const ends_at = instantOf(v.endDate || v.startDate, v.endTime || v.startTime || '10:00', tz) ?? starts_at
  return { starts_at, ends_at, all_day: false }
}

export const CALENDAR_VIEWS = ['month', 'week', 'day'] as const
export type CalendarView = (typeof CALENDAR_VIEWS)[number]

export function isCalendarView(v: string | null | undefined): v is CalendarView {
  return !!v && (CALENDAR_VIEWS as readonly string[]).includes(v)
}

/** The day the calendar shows after Previous (-1) or Next (+1) in a view. */
export function stepDate(day: string, view: CalendarView, direction: 1 | -1): string {
  if (view === 'day') return addDays(day, direction)
  if (view === 'week') return addDays(day, 7 * direction)
  const [y, m] = day.split('-').map(Number)
  const first = new Date(Date.UTC(y, m - 1 + direction, 1))
  return first.toISOString().slice(0, 10)
}

/**
 * The end inputs after the start inputs change, keeping the event's length on
 * the wall clock (a 09:00–10:00 meeting moved to 14:00 ends at 15:00).
 */
export function keepLength(
  before: { startDate: string; startTime: string; endDate: string; endTime: string },
  start: { date: string; time: string },
): { endDate: string; endTime: string } {
  const ms = (d: string, t: string) => Date.parse(`${d}T${t || '00:00'}:00Z`)
  const length = ms(before.endDate || before.startDate, before.endTime) - ms(before.startDate, before.startTime)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start.date) || Number.isNaN(length)) return { endDate: before.endDate, endTime: before.endTime }
  const end = new Date(ms(start.date, start.time) + Math.max(0, length))
  const iso = end.toISOString()
  return { endDate: iso.slice(0, 10), endTime: start.time || before.endTime ? iso.slice(11, 16) : '' }
}
