import { describe, expect, it } from 'vitest'
import { bodyOf, changedFields, formOf, movesTime, sameAttendee, type EventBody, type EventLike } from './eventForm'

const SP = 'America/Sao_Paulo'
const times = { starts_at: '2026-05-04T17:00:00Z', ends_at: '2026-05-04T18:00:00Z', all_day: false }
const event: EventLike = {
  title: 'Weekly sync',
  description: null,
  location: 'Room 2',
  ...times,
  rrule: 'FREQ=WEEKLY;BYDAY=MO,WE',
  reminders: [{ minutes_before: 10 }, { minutes_before: 0 }],
  attendees: [
    { user_id: 'u2', email: 'bruno@example.com', name: 'Bruno' },
    { email: 'guest@example.com', name: null },
  ],
  lead_id: 'l1',
  contact_id: null,
  company_id: null,
}

function body(f: ReturnType<typeof formOf>): EventBody {
  const r = bodyOf(f, SP)
  if (!('body' in r)) throw new Error(JSON.stringify(r))
  return r.body
}

describe('the event dialog’s values', () => {
  it('start a new event with the chosen times and a default reminder', () => {
    const f = formOf(null, times, SP)
    expect(f).toMatchObject({ title: '', startDate: '2026-05-04', startTime: '14:00', endTime: '15:00', reminders: [15] })
    expect(f.repeat.freq).toBeNull()
  })

  it('show an all-day event’s last day, not the exclusive end', () => {
    const f = formOf(null, { starts_at: '2026-05-04T00:00:00Z', ends_at: '2026-05-06T00:00:00Z', all_day: true }, SP)
    expect(f).toMatchObject({ allDay: true, startDate: '2026-05-04', endDate: '2026-05-05', startTime: '' })
    expect(body({ ...f, title: 'Offsite' })).toMatchObject({ starts_at: '2026-05-04T00:00:00Z', ends_at: '2026-05-06T00:00:00Z' })
  })

  it('read an existing event back into a body that has not changed', () => {
    const f = formOf(event, times, SP)
    expect(f.repeat).toMatchObject({ freq: 'WEEKLY', byDay: ['MO', 'WE'] })
    const b = body(f)
    expect(b).toMatchObject({ title: 'Weekly sync', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', timezone: SP, lead_id: 'l1' })
    // Reminders in order, attendees as who they are (no answers, no display names for members).
    expect(b.reminders).toEqual([{ minutes_before: 0 }, { minutes_before: 10 }])
    expect(b.attendees).toEqual([{ user_id: 'u2' }, { email: 'guest@example.com' }])
    expect(changedFields(body(formOf(event, times, SP)), b)).toEqual({})
  })

  it('keep a rule they cannot show until another repeat is chosen', () => {
    const f = formOf({ ...event, rrule: 'FREQ=MONTHLY;BYDAY=-1FR' }, times, SP)
    expect(f.customRule).toBe('FREQ=MONTHLY;BYDAY=-1FR')
    expect(body(f).rrule).toBe('FREQ=MONTHLY;BYDAY=-1FR')
    expect(body({ ...f, customRule: null, repeat: { ...f.repeat, freq: 'DAILY' } }).rrule).toBe('FREQ=DAILY')
  })

  it('say what is missing or wrong', () => {
    const f = formOf(null, times, SP)
    expect(bodyOf(f, SP)).toEqual({ problems: ['title'] })
    expect(bodyOf({ ...f, title: 'x', startDate: '' }, SP)).toEqual({ problems: ['starts_at'] })
    expect(bodyOf({ ...f, title: 'x', endTime: '13:00' }, SP)).toEqual({ problems: ['ends_at'] })
  })
})

describe('what an edit sends', () => {
  it('only the fields that changed', () => {
    const before = body(formOf(event, times, SP))
    const f = formOf(event, times, SP)
    const after = body({ ...f, title: 'Weekly sync (moved)', startTime: '15:00', endTime: '16:00', reminders: [10, 0, 30] })
    const patch = changedFields(before, after)
    expect(patch).toEqual({
      title: 'Weekly sync (moved)',
      starts_at: '2026-05-04T18:00:00.000Z',
      ends_at: '2026-05-04T19:00:00.000Z',
      reminders: [{ minutes_before: 0 }, { minutes_before: 10 }, { minutes_before: 30 }],
    })
    expect(movesTime(patch)).toBe(true)
    expect(movesTime({ title: 'x' })).toBe(false)
  })

  it('clears a field with null', () => {
    const before = body(formOf(event, times, SP))
    const after = body({ ...formOf(event, times, SP), location: '  ', lead_id: '' })
    expect(changedFields(before, after)).toEqual({ location: null, lead_id: null })
  })
})

describe('attendees', () => {
  it('are the same person by member, contact or email (any case)', () => {
    expect(sameAttendee({ user_id: 'a' }, { user_id: 'a', email: 'x' })).toBe(true)
    expect(sameAttendee({ contact_id: 'c' }, { contact_id: 'd' })).toBe(false)
    expect(sameAttendee({ email: 'Ana@X.com' }, { email: 'ana@x.com' })).toBe(true)
    expect(sameAttendee({ user_id: 'a' }, { email: 'ana@x.com' })).toBe(false)
  })
})
