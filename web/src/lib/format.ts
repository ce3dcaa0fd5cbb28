/** Dates, numbers and money in the reader's language, through Intl. */

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>()

function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined
  if (!f) {
    f = make()
    cache.set(key, f)
  }
  return f
}

export function formatMoney(value: number | null | undefined, currency: string, locale: string, compact = false): string {
  const v = value ?? 0
  const cur = /^[A-Z]{3}$/.test(currency) ? currency : 'USD'
  return memo(
    `m|${locale}|${cur}|${compact}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: cur,
        notation: compact ? 'compact' : 'standard',
        maximumFractionDigits: compact ? 1 : Number.isInteger(v) ? 0 : 2,
      }),
  ).format(v)
}

export function formatNumber(value: number, locale: string): string {
  return memo(`n|${locale}`, () => new Intl.NumberFormat(locale)).format(value)
}

/** The time zone dates are shown in (the user's preference); the browser's when unset. */
let displayTimeZone: string | undefined

/** Follows the user's timezone preference; an unknown zone falls back to the browser's. */
export function setDisplayTimeZone(tz: string | null | undefined) {
  let next: string | undefined
  try {
    next = tz ? new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone : undefined
  } catch {
    next = undefined
  }
  displayTimeZone = next
}

/** The user's time zone (undefined: the browser's), for day boundaries and due times. */
export function displayTimeZoneOf(): string | undefined {
  return displayTimeZone
}

/** A time of day ("14:30" → "2:30 PM" / "14:30") in the reader's language. */
export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const tz = displayTimeZone
  return memo(`t|${locale}|${tz}`, () => new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: tz })).format(d)
}

export function formatDate(iso: string | null | undefined, locale: string, withTime = false): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const tz = displayTimeZone
  return memo(
    `d|${locale}|${withTime}|${tz}`,
    () =>
      new Intl.DateTimeFormat(
        locale,
        withTime ? { dateStyle: 'medium', timeStyle: 'short', timeZone: tz } : { dateStyle: 'medium', timeZone: tz },
      ),
  ).format(d)
}

/** A calendar day (`2026-11-01`) as "1 Nov" / "1 de nov.", never shifted by the time zone. */
export function formatDay(day: string, locale: string, withYear = false): string {
  const d = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) return day
  return memo(
    `day|${locale}|${withYear}`,
    () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: withYear ? 'numeric' : undefined, timeZone: 'UTC' }),
  ).format(d)
}

/**
 * A date-only value (`2026-03-01`: a lead's expected close, a project's due
 * date, a date custom field) as "Mar 1, 2026" / "1 de mar. de 2026". It names a
 * calendar day, not an instant, so it is never shifted into a time zone
 * (`formatDate` would show the previous day west of UTC).
 */
export function formatDateOnly(day: string | null | undefined, locale: string): string {
  if (!day) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day)
  if (!m) return day
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (Number.isNaN(d.getTime())) return day
  return memo(`do|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(d)
}

/** 0.4 → "40%" / "40 %". */
export function formatPercent(share: number, locale: string): string {
  return memo(`p|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })).format(share)
}

export function formatCompactNumber(value: number, locale: string): string {
  return memo(`cn|${locale}`, () => new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 })).format(value)
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/** "3 days ago", "há 3 dias", "hace 3 días". */
export function relativeTime(iso: string | null | undefined, locale: string, now = Date.now()): string {
  if (!iso) return ''
  const seconds = (new Date(iso).getTime() - now) / 1000
  const rtf = memo(`r|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }))
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit)
  }
  return rtf.format(0, 'second')
}
