/**
 * Calendar days and wall-clock times in a named time zone (the user's
 * preference), without a date library: Intl tells the zone's wall time of an
 * instant, and an instant for a wall time is found from its offset.
 */

export interface WallTime {
  /** `2026-11-30` */
  date: string
  /** `14:30` (24 h) */
  time: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(tz: string | undefined): Intl.DateTimeFormat {
  const key = tz ?? ''
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(key, f)
  }
  return f
}

function fields(at: Date, tz: string | undefined) {
  const out: Record<string, number> = {}
  for (const p of partsFormatter(tz).formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value)
  // Some engines say 24 for midnight even with h23.
  if (out.hour === 24) out.hour = 0
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The wall date and time of `at` in `tz` (the browser's zone when undefined). */
export function wallTime(at: Date | string, tz?: string): WallTime {
  const d = typeof at === 'string' ? new Date(at) : at
  const f = fields(d, tz)
  return { date: `${f.year}-${pad(f.month)}-${pad(f.day)}`, time: `${pad(f.hour)}:${pad(f.minute)}` }
}

/** The calendar day (`YYYY-MM-DD`) of `at` in `tz`. */
export function dayIn(at: Date | string, tz?: string): string {
  return wallTime(at, tz).date
}

/** Minutes `tz` is ahead of UTC at `at`. */
function offsetMinutes(at: Date, tz: string | undefined): number {
  const f = fields(at, tz)
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second)
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/**
 * The instant (ISO, UTC) when the clocks of `tz` show `date` at `time`;
 * null for an empty or invalid date. A time skipped by a DST change lands
 * just after the gap.
 */
export function instantOf(date: string, time: string, tz?: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!d) return null
  const t = /^(\d{1,2}):(\d{2})$/.exec(time) ?? ['', '0', '0']
  const guess = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]))
  if (Number.isNaN(guess)) return null
  let at = guess - offsetMinutes(new Date(guess), tz) * 60_000
  // Near a DST change the offset at the answer may differ from the guess's.
  const again = guess - offsetMinutes(new Date(at), tz) * 60_000
  if (again !== at) at = Math.max(at, again)
  return new Date(at).toISOString()
}

/** `day` plus `n` days (`2026-12-31` + 1 → `2027-01-01`). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const next = new Date(Date.UTC(y, m - 1, d + n))
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`
}

/** The time a due date gets when only its day is chosen: the end of that day. */
export const END_OF_DAY = '23:59'
