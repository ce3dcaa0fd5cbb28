/**
 * The event dialog's "Repeat" choices and the RFC 5545 RRULE value they stand
 * for (`FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=…`, without the `RRULE:` prefix).
 *
 * Only what the dialog can say is built; a rule with more in it (BYSETPOS,
 * BYMONTHDAY lists, hourly…) is parsed as `custom` so the dialog can keep it
 * untouched unless the user chooses something else.
 */
import { addDays, instantOf, wallTime } from './zoned'

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const
export type Frequency = (typeof FREQUENCIES)[number]

/** Monday first, as ISO weeks and RFC 5545's default WKST. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type Weekday = (typeof WEEKDAYS)[number]

export type RepeatEnd = 'never' | 'until' | 'count'

export interface Repeat {
  /** null: does not repeat. */
  freq: Frequency | null
  /** Every `interval` days/weeks/months/years (≥ 1). */
  interval: number
  /** Weekly only: the days it happens on (empty: the start's weekday). */
  byDay: Weekday[]
  end: RepeatEnd
  /** The last day it may happen on (`YYYY-MM-DD`, inclusive), with `end: 'until'`. */
  until: string
  /** How many times in all, with `end: 'count'`. */
  count: number
}

export const NO_REPEAT: Repeat = { freq: null, interval: 1, byDay: [], end: 'never', until: '', count: 10 }

/** The weekday of a calendar day (`2026-05-04` → `MO`). */
export function weekdayOf(day: string): Weekday {
  const [y, m, d] = day.split('-').map(Number)
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay() // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7]
}

const compact = (day: string) => day.replace(/-/g, '')

/**
 * The RRULE value for the choices, or null when the event does not repeat.
 * `start` is the first occurrence's day (its weekday is the default for a
 * weekly rule). UNTIL is a DATE for an all-day event; for a timed one it is
 * the last instant of that day in `tz`, in UTC, as RFC 5545 requires when the
 * start has a time zone.
 */
export function buildRrule(r: Repeat, { start, allDay, tz }: { start: string; allDay: boolean; tz?: string }): string | null {
  if (!r.freq) return null
  const parts = [`FREQ=${r.freq}`]
  const interval = Math.max(1, Math.floor(r.interval || 1))
  if (interval > 1) parts.push(`INTERVAL=${interval}`)
  if (r.freq === 'WEEKLY') {
    const days = r.byDay.length ? r.byDay : start ? [weekdayOf(start)] : []
    const ordered = WEEKDAYS.filter((d) => days.includes(d))
    if (ordered.length) parts.push(`BYDAY=${ordered.join(',')}`)
  }
  if (r.end === 'count' && r.count >= 1) parts.push(`COUNT=${Math.floor(r.count)}`)
  if (r.end === 'until' && /^\d{4}-\d{2}-\d{2}$/.test(r.until)) {
    if (allDay) parts.push(`UNTIL=${compact(r.until)}`)
    else {
      const next = instantOf(addDays(r.until, 1), '00:00', tz)
      if (next) {
        const last = new Date(new Date(next).getTime() - 1000).toISOString()
        parts.push(`UNTIL=${last.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`)
      }
    }
  }
  return parts.join(';')
}

export interface ParsedRepeat extends Repeat {
  /** The rule says more than the dialog can show: keep the original unless the user changes it. */
  custom: boolean
}

const KNOWN = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'UNTIL', 'COUNT', 'WKST'])

/** The dialog's choices for an RRULE value (`RRULE:` prefix allowed); UNTIL is read back as a day in `tz`. */
export function parseRrule(value: string | null | undefined, tz?: string): ParsedRepeat {
  if (!value || !value.trim()) return { ...NO_REPEAT, custom: false }
  const text = value.trim().replace(/^RRULE:/i, '')
  const fields = new Map<string, string>()
  for (const part of text.split(';')) {
    const [k, v] = part.split('=')
    if (k && v !== undefined) fields.set(k.trim().toUpperCase(), v.trim().toUpperCase())
  }
  let custom = [...fields.keys()].some((k) => !KNOWN.has(k))
  const freqText = fields.get('FREQ') ?? ''
  const freq = (FREQUENCIES as readonly string[]).includes(freqText) ? (freqText as Frequency) : null
  if (!freq) return { ...NO_REPEAT, freq: null, custom: true }
  const interval = Number(fields.get('INTERVAL') ?? '1')
  const byDay: Weekday[] = []
  const byDayText = fields.get('BYDAY')
  if (byDayText) {
    for (const d of byDayText.split(',')) {
      if ((WEEKDAYS as readonly string[]).includes(d)) byDay.push(d as Weekday)
      else custom = true // "1MO", "-1FR": positions the dialog does not offer
    }
    if (freq !== 'WEEKLY') custom = true
  }
  const wkst = fields.get('WKST')
  if (wkst && wkst !== 'MO') custom = true
  let end: RepeatEnd = 'never'
  let until = ''
  let count = NO_REPEAT.count
  const countText = fields.get('COUNT')
  const untilText = fields.get('UNTIL')
  if (countText && /^\d+$/.test(countText)) {
    end = 'count'
    count = Number(countText)
  } else if (untilText) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(untilText)
    if (m) {
      end = 'until'
      const day = `${m[1]}-${m[2]}-${m[3]}`
      until = m[4] && m[7] ? wallTime(`${day}T${m[4]}:${m[5]}:${m[6]}Z`, tz).date : day
    } else custom = true
  }
  return {
    freq,
    interval: Number.isFinite(interval) && interval >= 1 ? Math.floor(interval) : 1,
    byDay: WEEKDAYS.filter((d) => byDay.includes(d)),
    end,
    until,
    count,
    custom,
  }
}
