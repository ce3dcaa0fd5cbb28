import { describe, expect, it } from 'vitest'
import { NO_REPEAT, buildRrule, parseRrule, weekdayOf, type Repeat } from './rrule'

const repeat = (r: Partial<Repeat>): Repeat => ({ ...NO_REPEAT, ...r })
const timed = { start: '2026-05-04', allDay: false, tz: 'America/Sao_Paulo' }

describe('building an RRULE from the dialog', () => {
  it('is null when the event does not repeat', () => {
    expect(buildRrule(NO_REPEAT, timed)).toBeNull()
  })

  it('says the frequency, and the interval only when it is more than one', () => {
    expect(buildRrule(repeat({ freq: 'DAILY' }), timed)).toBe('FREQ=DAILY')
    expect(buildRrule(repeat({ freq: 'MONTHLY', interval: 2 }), timed)).toBe('FREQ=MONTHLY;INTERVAL=2')
    expect(buildRrule(repeat({ freq: 'YEARLY', interval: 0 }), timed)).toBe('FREQ=YEARLY')
  })

  it('names the chosen weekdays in week order, or the start’s weekday', () => {
    expect(buildRrule(repeat({ freq: 'WEEKLY', byDay: ['WE', 'MO'] }), timed)).toBe('FREQ=WEEKLY;BYDAY=MO,WE')
    expect(buildRrule(repeat({ freq: 'WEEKLY' }), timed)).toBe('FREQ=WEEKLY;BYDAY=MO')
    // BYDAY belongs to weekly rules only.
    expect(buildRrule(repeat({ freq: 'DAILY', byDay: ['MO'] }), timed)).toBe('FREQ=DAILY')
  })

  it('ends after a count', () => {
    expect(buildRrule(repeat({ freq: 'DAILY', end: 'count', count: 5 }), timed)).toBe('FREQ=DAILY;COUNT=5')
  })

  it('ends on a day: the last second of that day in the event’s zone, in UTC', () => {
    // 2026-05-31 23:59:59 in São Paulo (UTC-3) is 2026-06-01 02:59:59 UTC.
    expect(buildRrule(repeat({ freq: 'WEEKLY', byDay: ['FR'], end: 'until', until: '2026-05-31' }), timed)).toBe(
      'FREQ=WEEKLY;BYDAY=FR;UNTIL=20260601T025959Z',
    )
  })

  it('ends on a day as a DATE for an all-day event', () => {
    expect(buildRrule(repeat({ freq: 'YEARLY', end: 'until', until: '2030-12-31' }), { start: '2026-05-04', allDay: true })).toBe(
      'FREQ=YEARLY;UNTIL=20301231',
    )
  })
})

describe('reading an RRULE back into the dialog', () => {
  it('reads nothing as no repeat', () => {
    expect(parseRrule(null)).toMatchObject({ freq: null, custom: false })
    expect(parseRrule('  ')).toMatchObject({ freq: null, custom: false })
  })

  it('reads what it builds (round trip)', () => {
    const cases: Repeat[] = [
      repeat({ freq: 'DAILY' }),
      repeat({ freq: 'WEEKLY', byDay: ['MO', 'WE', 'FR'], interval: 2 }),
      repeat({ freq: 'MONTHLY', end: 'count', count: 12 }),
      repeat({ freq: 'YEARLY', end: 'until', until: '2028-01-15' }),
      repeat({ freq: 'WEEKLY', byDay: ['SU'], end: 'until', until: '2026-12-31' }),
    ]
    for (const r of cases) {
      const rule = buildRrule(r, timed)
      expect(parseRrule(rule, timed.tz), rule ?? '').toEqual({ ...r, custom: false })
    }
  })

  it('accepts the RRULE: prefix and any case', () => {
    expect(parseRrule('RRULE:freq=weekly;byday=tu,th')).toMatchObject({ freq: 'WEEKLY', byDay: ['TU', 'TH'], custom: false })
  })

  it('marks rules it cannot show as custom, keeping what it understood', () => {
    expect(parseRrule('FREQ=MONTHLY;BYDAY=1MO')).toMatchObject({ freq: 'MONTHLY', custom: true })
    expect(parseRrule('FREQ=MONTHLY;BYMONTHDAY=1,15')).toMatchObject({ freq: 'MONTHLY', custom: true })
    expect(parseRrule('FREQ=HOURLY')).toMatchObject({ freq: null, custom: true })
    expect(parseRrule('FREQ=WEEKLY;WKST=SU;BYDAY=MO')).toMatchObject({ freq: 'WEEKLY', custom: true })
  })

  it('reads a DATE UNTIL as that day', () => {
    expect(parseRrule('FREQ=DAILY;UNTIL=20261231')).toMatchObject({ end: 'until', until: '2026-12-31' })
  })
})

describe('weekdays', () => {
  it('knows the weekday of a day', () => {
    expect(weekdayOf('2026-05-04')).toBe('MO')
    expect(weekdayOf('2026-05-10')).toBe('SU')
    expect(weekdayOf('2024-02-29')).toBe('TH')
  })
})
