import { describe, expect, it } from 'vitest'
import {
  agendaDays,
  droppedTimes,
  fromWall,
  inputsOf,
  occurrenceKey,
  rangeFor,
  shiftSeries,
  timesFromInputs,
  toCalendarItem,
  toWall,
  wallNow,
  type OccurrenceLike,
} from './calendar'

const SP = 'America/Sao_Paulo' // UTC-3, no DST
const NY = 'America/New_York' // DST: 2026-03-08 and 2026-11-01
const TOKYO = 'Asia/Tokyo' // UTC+9

const occ = (o: Partial<OccurrenceLike>): OccurrenceLike => ({
  kind: 'event',
  id: 'e1',
  occurrence_start: '2026-05-04T17:00:00Z',
  starts_at: '2026-05-04T17:00:00Z',
  ends_at: '2026-05-04T18:00:00Z',
  all_day: false,
  title: 'Call with Ana',
  recurring: false,
  owner_id: 'u1',
  ...o,
})

describe('wall times for the widget', () => {
  it('shows an instant at its wall time in the zone', () => {
    expect(toWall('2026-05-04T17:00:00Z', SP)).toBe('2026-05-04T14:00:00')
    expect(toWall('2026-05-04T17:00:00Z', TOKYO)).toBe('2026-05-05T02:00:00')
  })

  it('turns a widget date (wall time read as UTC) back into the instant', () => {
    expect(fromWall(new Date('2026-05-04T14:00:00Z'), SP)).toBe('2026-05-04T17:00:00.000Z')
    expect(fromWall(new Date('2026-07-01T09:30:00Z'), NY)).toBe('2026-07-01T13:30:00.000Z')
    expect(fromWall(new Date('2026-12-01T09:30:00Z'), NY)).toBe('2026-12-01T14:30:00.000Z')
  })

  it('gives the widget "now" on the zone’s clock', () => {
    expect(wallNow(SP, new Date('2026-05-04T17:05:00Z')).toISOString()).toBe('2026-05-04T14:05:00.000Z')
  })

  it('asks the API for midnight to midnight in the zone, a day wider each side', () => {
    const r = rangeFor(new Date('2026-05-03T00:00:00Z'), new Date('2026-05-10T00:00:00Z'), SP)
    expect(r).toEqual({ from: '2026-05-02T03:00:00.000Z', to: '2026-05-11T03:00:00.000Z' })
  })
})

describe('occurrences as calendar items', () => {
  it('places a timed event at its wall times, editable, coloured by owner', () => {
    const item = toCalendarItem(occ({}), SP)
    expect(item).toMatchObject({ start: '2026-05-04T14:00:00', end: '2026-05-04T15:00:00', allDay: false, editable: true })
    expect(item.id).toBe(occurrenceKey(occ({})))
    expect(item.classNames).toContain('lc-event')
    expect(item.classNames.some((c) => /^lc-ev-\d$/.test(c))).toBe(true)
    expect(item.extendedProps.occurrence.id).toBe('e1')
  })

  it('keeps all-day events on their days whatever the zone (end exclusive)', () => {
    const o = occ({ all_day: true, starts_at: '2026-05-04T00:00:00Z', ends_at: '2026-05-06T00:00:00Z' })
    for (const tz of [SP, TOKYO, NY]) {
      expect(toCalendarItem(o, tz)).toMatchObject({ start: '2026-05-04', end: '2026-05-06', allDay: true })
    }
  })

  it('marks occurrences of a series, and is read-only when asked', () => {
    const item = toCalendarItem(occ({ recurring: true }), SP, { readOnly: true })
    expect(item.classNames).toContain('lc-recurring')
    expect(item.editable).toBe(false)
  })

  it('colours each member apart, in the order they joined', async () => {
    const { memberColors } = await import('./calendar')
    const colors = memberColors([
      { user_id: 'b', joined_at: '2026-02-01T00:00:00Z' },
      { user_id: 'a', joined_at: '2026-01-01T00:00:00Z' },
    ])
    expect(colors).toEqual(
      new Map([
        ['a', 0],
        ['b', 1],
      ]),
    )
    expect(toCalendarItem(occ({ owner_id: 'b' }), SP, { colors }).classNames).toContain('lc-ev-1')
  })

  it('gives an event without an end an hour', () => {
    expect(toCalendarItem(occ({ ends_at: null }), SP)).toMatchObject({ end: '2026-05-04T15:00:00' })
  })

  it('shows a task as a half-hour block at its due time, never draggable, with its own look', () => {
    const task = occ({ kind: 'task', id: 't1', starts_at: '2026-05-04T13:00:00Z', ends_at: '2026-05-04T13:00:00Z', status: 'todo' })
    expect(toCalendarItem(task, SP)).toMatchObject({
      start: '2026-05-04T10:00:00',
      end: '2026-05-04T10:30:00',
      allDay: false,
      editable: false,
      classNames: ['lc-task'],
    })
  })

  it('shows a task due on a day (saved at 23:59 there) as an all-day item, struck through when done', () => {
    const task = occ({ kind: 'task', starts_at: '2026-05-05T02:59:00Z', status: 'done' })
    expect(toCalendarItem(task, SP)).toMatchObject({ start: '2026-05-04', end: '2026-05-05', allDay: true })
    expect(toCalendarItem(task, SP).classNames).toEqual(['lc-task', 'lc-task-done'])
  })
})

describe('drops and resizes', () => {
  it('turns a timed drop into instants in the zone', () => {
    const t = droppedTimes({ start: new Date('2026-05-05T10:00:00Z'), end: new Date('2026-05-05T11:30:00Z'), allDay: false }, SP)
    expect(t).toEqual({ starts_at: '2026-05-05T13:00:00.000Z', ends_at: '2026-05-05T14:30:00.000Z', all_day: false })
  })

  it('gives a timed drop without an end the default length', () => {
    const t = droppedTimes({ start: new Date('2026-05-05T10:00:00Z'), end: null, allDay: false }, SP)
    expect(t.ends_at).toBe('2026-05-05T14:00:00.000Z')
  })

  it('turns an all-day drop into UTC days, a day long without an end', () => {
    expect(droppedTimes({ start: new Date('2026-05-07T00:00:00Z'), end: null, allDay: true }, TOKYO)).toEqual({
      starts_at: '2026-05-07T00:00:00Z',
      ends_at: '2026-05-08T00:00:00Z',
      all_day: true,
    })
  })
})

describe('moving a whole series from one occurrence', () => {
  const series = { starts_at: '2026-01-05T14:00:00Z', ends_at: '2026-01-05T15:00:00Z', all_day: false } // 09:00 EST

  it('shifts the series by the occurrence’s move on the wall clock, across DST', () => {
    // A summer occurrence at 09:00 EDT moved to 10:30: the winter series start goes to 10:30 EST.
    const before = { starts_at: '2026-07-06T13:00:00Z', ends_at: '2026-07-06T14:00:00Z', all_day: false }
    const after = { starts_at: '2026-07-06T14:30:00Z', ends_at: '2026-07-06T15:30:00Z', all_day: false }
    expect(shiftSeries(series, before, after, NY)).toEqual({
      starts_at: '2026-01-05T15:30:00.000Z',
      ends_at: '2026-01-05T16:30:00.000Z',
      all_day: false,
    })
  })

  it('lengthens the series when an occurrence is resized', () => {
    const before = { starts_at: '2026-07-06T13:00:00Z', ends_at: '2026-07-06T14:00:00Z', all_day: false }
    const after = { starts_at: '2026-07-06T13:00:00Z', ends_at: '2026-07-06T14:30:00Z', all_day: false }
    expect(shiftSeries(series, before, after, NY).ends_at).toBe('2026-01-05T15:30:00.000Z')
  })

  it('moves an all-day series by days', () => {
    const s = { starts_at: '2026-01-05T00:00:00Z', ends_at: '2026-01-06T00:00:00Z', all_day: true }
    const before = { starts_at: '2026-03-02T00:00:00Z', ends_at: '2026-03-03T00:00:00Z', all_day: true }
    const after = { starts_at: '2026-03-04T00:00:00Z', ends_at: '2026-03-05T00:00:00Z', all_day: true }
    expect(shiftSeries(s, before, after, NY)).toEqual({ starts_at: '2026-01-07T00:00:00Z', ends_at: '2026-01-08T00:00:00Z', all_day: true })
  })

  it('makes a timed series all-day on the matching day, and back', () => {
    const before = { starts_at: '2026-07-06T13:00:00Z', ends_at: '2026-07-06T14:00:00Z', all_day: false }
    const toDay = { starts_at: '2026-07-07T00:00:00Z', ends_at: '2026-07-08T00:00:00Z', all_day: true }
    expect(shiftSeries(series, before, toDay, NY)).toEqual({
      starts_at: '2026-01-06T00:00:00Z',
      ends_at: '2026-01-07T00:00:00Z',
      all_day: true,
    })
    const daySeries = { starts_at: '2026-01-05T00:00:00Z', ends_at: '2026-01-06T00:00:00Z', all_day: true }
    const dayBefore = { starts_at: '2026-07-06T00:00:00Z', ends_at: '2026-07-07T00:00:00Z', all_day: true }
    const timed = { starts_at: '2026-07-06T15:00:00Z', ends_at: '2026-07-06T16:00:00Z', all_day: false } // 11:00 EDT
    expect(shiftSeries(daySeries, dayBefore, timed, NY)).toEqual({
      starts_at: '2026-01-05T16:00:00.000Z', // 11:00 EST
      ends_at: '2026-01-05T17:00:00.000Z',
      all_day: false,
    })
  })
})

describe('the dashboard agenda', () => {
  it('groups by day in the zone, all-day first, ongoing ones today', () => {
    const now = new Date('2026-05-04T12:00:00Z') // 09:00 in São Paulo
    const items = [
      occ({ id: 'late', starts_at: '2026-05-05T01:00:00Z' }), // 22:00 on the 4th
      occ({ id: 'tomorrow', starts_at: '2026-05-05T12:00:00Z' }),
      occ({ id: 'allday', all_day: true, starts_at: '2026-05-04T00:00:00Z', ends_at: '2026-05-05T00:00:00Z' }),
      occ({ id: 'ongoing', starts_at: '2026-05-03T12:00:00Z', ends_at: '2026-05-06T12:00:00Z' }),
    ]
    const days = agendaDays(items, now, SP)
    expect(days.map((d) => [d.day, d.items.map((i) => i.id)])).toEqual([
      ['2026-05-04', ['allday', 'ongoing', 'late']],
      ['2026-05-05', ['tomorrow']],
    ])
  })
})

describe('the event dialog’s inputs', () => {
  it('reads an instant as the zone’s day and time, an all-day boundary as its UTC day', () => {
    expect(inputsOf('2026-05-04T17:00:00Z', false, SP)).toEqual({ date: '2026-05-04', time: '14:00' })
    expect(inputsOf('2026-05-04T00:00:00Z', true, TOKYO)).toEqual({ date: '2026-05-04', time: '' })
  })

  it('gives the API an exclusive end for all-day events', () => {
    expect(timesFromInputs({ allDay: true, startDate: '2026-05-04', startTime: '', endDate: '2026-05-06', endTime: '' }, SP)).toEqual({
      starts_at: '2026-05-04T00:00:00Z',
      ends_at: '2026-05-07T00:00:00Z',
      all_day: true,
    })
    // An end before the start is a one-day event.
    expect(timesFromInputs({ allDay: true, startDate: '2026-05-04', startTime: '', endDate: '2026-05-01', endTime: '' })?.ends_at).toBe(
      '2026-05-05T00:00:00Z',
    )
  })

  it('reads timed inputs in the zone', () => {
    expect(
      timesFromInputs({ allDay: false, startDate: '2026-05-04', startTime: '14:00', endDate: '2026-05-04', endTime: '15:30' }, SP),
    ).toEqual({ starts_at: '2026-05-04T17:00:00.000Z', ends_at: '2026-05-04T18:30:00.000Z', all_day: false })
    expect(timesFromInputs({ allDay: false, startDate: '', startTime: '', endDate: '', endTime: '' }, SP)).toBeNull()
  })
})

describe('navigation', () => {
  it('steps a day, a week or a month', async () => {
    const { stepDate } = await import('./calendar')
    expect(stepDate('2026-05-31', 'day', 1)).toBe('2026-06-01')
    expect(stepDate('2026-05-04', 'week', -1)).toBe('2026-04-27')
    expect(stepDate('2026-01-31', 'month', 1)).toBe('2026-02-01')
    expect(stepDate('2026-01-15', 'month', -1)).toBe('2025-12-01')
  })

  it('keeps an event’s length when its start moves', async () => {
    const { keepLength } = await import('./calendar')
    const before = { startDate: '2026-05-04', startTime: '09:00', endDate: '2026-05-04', endTime: '10:30' }
    expect(keepLength(before, { date: '2026-05-04', time: '23:00' })).toEqual({ endDate: '2026-05-05', endTime: '00:30' })
    expect(keepLength({ ...before, startTime: '', endTime: '', endDate: '2026-05-06' }, { date: '2026-05-10', time: '' })).toEqual({
      endDate: '2026-05-12',
      endTime: '',
    })
  })
})
