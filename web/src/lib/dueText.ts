/**
 * A due date as short as it can be read: "2:30 PM" today, "Tomorrow, 9:00 AM",
 * "Yesterday", "Dec 9", "Dec 9, 2027" — in the reader's language and time zone.
 * A due date without a time (saved as the end of its day) shows only the day.
 */
import { addDays, END_OF_DAY, wallTime } from './zoned'

const capitalize = (s: string, locale: string) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1)

export function formatDue(iso: string, locale: string, now: Date = new Date(), tz?: string): string {
  const due = wallTime(iso, tz)
  const today = wallTime(now, tz).date
  const hasTime = due.time !== END_OF_DAY
  const time = hasTime ? new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: tz }).format(new Date(iso)) : ''
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  let day: string
  if (due.date === today) day = hasTime ? '' : capitalize(rel.format(0, 'day'), locale)
  else if (due.date === addDays(today, 1)) day = capitalize(rel.format(1, 'day'), locale)
  else if (due.date === addDays(today, -1)) day = capitalize(rel.format(-1, 'day'), locale)
  else {
    const sameYear = due.date.slice(0, 4) === today.slice(0, 4)
    day = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      year: sameYear ? undefined : 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${due.date}T12:00:00Z`))
  }
  if (!time) return day
  return day ? `${day}, ${time}` : time
}
