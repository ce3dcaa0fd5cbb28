/** Every IANA time zone the browser knows, with its current UTC offset, for the timezone picker. */

export interface Zone {
  id: string
  /** "America/Sao Paulo" */
  label: string
  /** "GMT-03:00" */
  offset: string
  /** Minutes east of UTC, for sorting. */
  minutes: number
}

const FALLBACK = ['UTC', 'America/Sao_Paulo', 'America/New_York', 'America/Mexico_City', 'Europe/Lisbon', 'Europe/Madrid', 'Europe/London']

export function zoneIds(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] }
  const ids = intl.supportedValuesOf?.('timeZone') ?? FALLBACK
  return ids.includes('UTC') ? ids : ['UTC', ...ids]
}

export function offsetOf(id: string, at = new Date()): { offset: string; minutes: number } {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value
    const offset = !part || part === 'GMT' ? 'GMT+00:00' : part
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(offset)
    const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0
    return { offset, minutes }
  } catch {
    return { offset: 'GMT+00:00', minutes: 0 }
  }
}

export function zoneLabel(id: string): string {
  return id.replace(/_/g, ' ')
}

let cached: Zone[] | null = null

/** All zones, sorted by offset then name (computed once, on first use). */
export function allZones(): Zone[] {
  if (!cached) {
    const now = new Date()
    cached = zoneIds()
      .map((id) => ({ id, label: zoneLabel(id), ...offsetOf(id, now) }))
      .sort((a, b) => a.minutes - b.minutes || a.label.localeCompare(b.label))
  }
  return cached
}

/** Matches "sao paulo", "são", "gmt-3", "-03" and "new york" style searches. */
export function matchZone(zone: Zone, query: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
  const q = fold(query.trim())
  if (!q) return true
  const hay = fold(`${zone.label} ${zone.offset} ${zone.offset.replace(':00', '').replace(/([+-])0/, '$1')}`)
  return q.split(/\s+/).every((w) => hay.includes(w))
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
