/**
 * The event dialog's values, and the API body they make: for a new event the
 * whole body, for an edit only what changed (PATCH is a JSON merge).
 */
import { inputsOf, timesFromInputs, type EventTimes } from './calendar'
import { buildRrule, parseRrule, type Repeat } from './rrule'

export interface AttendeeRef {
  user_id?: string | null
  contact_id?: string | null
  email?: string | null
  name?: string | null
}

export interface EventForm {
  title: string
  allDay: boolean
  startDate: string
  startTime: string
  endDate: string
  endTime: string
  location: string
  description: string
  repeat: Repeat
  /** A rule the dialog cannot show, kept as it is until another repeat is chosen. */
  customRule: string | null
  reminders: number[]
  attendees: AttendeeRef[]
  lead_id: string
  contact_id: string
  company_id: string
}

/** What the API keeps of an event that the dialog edits. */
export interface EventLike {
  title: string
  description?: string | null
  location?: string | null
  starts_at: string
  ends_at: string
  all_day: boolean
  rrule?: string | null
  reminders: { minutes_before: number }[]
  attendees: AttendeeRef[]
  lead_id?: string | null
  contact_id?: string | null
  company_id?: string | null
}

export interface EventBody {
  title: string
  description: string | null
  location: string | null
  starts_at: string
  ends_at: string
  all_day: boolean
  timezone: string
  rrule: string | null
  reminders: { minutes_before: number }[]
  attendees: AttendeeRef[]
  lead_id: string | null
  contact_id: string | null
  company_id: string | null
}

/** Reminders a new event gets. */
export const DEFAULT_REMINDERS = [15]

/** The minutes-before choices offered. */
export const REMINDER_CHOICES = [0, 5, 10, 15, 30, 60, 120, 1440, 2880, 10080]

/** An attendee as the API takes it: who they are, not their answer. */
export function attendeeRef(a: AttendeeRef): AttendeeRef {
  if (a.user_id) return { user_id: a.user_id }
  if (a.contact_id) return { contact_id: a.contact_id }
  return a.name ? { email: a.email ?? '', name: a.name } : { email: a.email ?? '' }
}

export function sameAttendee(a: AttendeeRef, b: AttendeeRef): boolean {
  if (a.user_id || b.user_id) return a.user_id === b.user_id
  if (a.contact_id || b.contact_id) return a.contact_id === b.contact_id
  return (a.email ?? '').toLowerCase() === (b.email ?? '').toLowerCase()
}

/**
 * The dialog's values for an event (or a new one), shown at `times`: an
 * occurrence of a series shows its own day, not the series' first.
 */
export function formOf(ev: EventLike | null, times: EventTimes, tz?: string): EventForm {
  const start = inputsOf(times.starts_at, times.all_day, tz)
  // The dialog shows an all-day event's last day; the API keeps the day after.
  const endIso = times.all_day ? new Date(Date.parse(times.ends_at) - 86_400_000).toISOString() : times.ends_at
  const end = inputsOf(endIso, times.all_day, tz)
  const parsed = parseRrule(ev?.rrule, tz)
  return {
    title: ev?.title ?? '',
    allDay: times.all_day,
    startDate: start.date,
    startTime: start.time,
    endDate: end.date < start.date ? start.date : end.date,
    endTime: end.time,
    location: ev?.location ?? '',
    description: ev?.description ?? '',
    repeat: parsed,
    customRule: parsed.custom ? (ev?.rrule ?? null) : null,
    reminders: ev ? ev.reminders.map((r) => r.minutes_before) : [...DEFAULT_REMINDERS],
    attendees: ev ? ev.attendees.map(attendeeRef) : [],
    lead_id: ev?.lead_id ?? '',
    contact_id: ev?.contact_id ?? '',
    company_id: ev?.company_id ?? '',
  }
}

export type FormProblem = 'title' | 'starts_at' | 'ends_at'

/** The API body for the dialog's values, or which fields are missing or wrong. */
export function bodyOf(f: EventForm, tz: string): { body: EventBody } | { problems: FormProblem[] } {
  const problems: FormProblem[] = []
  if (!f.title.trim()) problems.push('title')
  const times = timesFromInputs(f, tz)
  if (!times) problems.push('starts_at')
  else if (Date.parse(times.ends_at) < Date.parse(times.starts_at)) problems.push('ends_at')
  if (problems.length || !times) return { problems }
  const rrule = f.customRule ?? buildRrule(f.repeat, { start: f.startDate, allDay: f.allDay, tz })
  const reminders = [...new Set(f.reminders)].sort((a, b) => a - b).map((minutes_before) => ({ minutes_before }))
  return {
    body: {
      title: f.title.trim(),
      description: f.description.trim() || null,
      location: f.location.trim() || null,
      ...times,
      timezone: tz,
      rrule,
      reminders,
      attendees: f.attendees.map(attendeeRef),
      lead_id: f.lead_id || null,
      contact_id: f.contact_id || null,
      company_id: f.company_id || null,
    },
  }
}

/** The fields of `after` that differ from `before` (what a PATCH sends). */
export function changedFields(before: EventBody, after: EventBody): Partial<EventBody> {
  const out: Partial<EventBody> = {}
  for (const key of Object.keys(after) as (keyof EventBody)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) (out as Record<string, unknown>)[key] = after[key]
  }
  return out
}

/** True when the change moves the event in time (start, end or all-day). */
export function movesTime(patch: Partial<EventBody>): boolean {
  return 'starts_at' in patch || 'ends_at' in patch || 'all_day' in patch
}
