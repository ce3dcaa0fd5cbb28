import { describe, expect, it } from 'vitest'
import { groupOf, groupTasks } from './taskGroups'
import { addDays, dayIn, instantOf, wallTime } from './zoned'

const SP = 'America/Sao_Paulo' // UTC-3, no DST
const TOKYO = 'Asia/Tokyo' // UTC+9

describe('zoned days and times', () => {
  it('reads the wall date and time of an instant in a zone', () => {
    expect(wallTime('2026-03-10T02:30:00Z', SP)).toEqual({ date: '2026-03-09', time: '23:30' })
    expect(wallTime('2026-03-10T02:30:00Z', TOKYO)).toEqual({ date: '2026-03-10', time: '11:30' })
    expect(wallTime('2026-03-10T00:00:00Z', 'UTC')).toEqual({ date: '2026-03-10', time: '00:00' })
  })

  it('finds the instant of a wall time in a zone, and back', () => {
    expect(instantOf('2026-03-09', '23:30', SP)).toBe('2026-03-10T02:30:00.000Z')
    expect(instantOf('2026-03-10', '11:30', TOKYO)).toBe('2026-03-10T02:30:00.000Z')
    expect(instantOf('', '10:00', SP)).toBeNull()
    // Across a DST change (New York springs forward on 2026-03-08).
    const ny = 'America/New_York'
    for (const [date, time] of [
      ['2026-03-07', '09:15'],
      ['2026-03-09', '09:15'],
      ['2026-11-02', '18:00'],
    ]) {
      expect(wallTime(instantOf(date, time, ny)!, ny)).toEqual({ date, time })
    }
  })

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
})

describe('tasks grouped by day in the user’s time zone', () => {
  // 01:00 UTC on the 10th is still the 9th in São Paulo.
  const now = new Date('2026-03-10T01:00:00Z')
  const task = (id: string, due: string | null, status = 'todo', extra = {}) => ({ id, status, due_date: due, ...extra })

  it('puts yesterday, today, next week, no date and done in their groups', () => {
    const today = dayIn(now, SP)
    expect(today).toBe('2026-03-09')
    expect(groupOf(task('a', '2026-03-08T15:00:00Z'), today, SP)).toBe('overdue')
    // Earlier today (already past) is still today, not overdue.
    expect(groupOf(task('b', '2026-03-09T12:00:00Z'), today, SP)).toBe('today')
    // 02:30 UTC on the 10th is 23:30 on the 9th in São Paulo: today.
    expect(groupOf(task('c', '2026-03-10T02:30:00Z'), today, SP)).toBe('today')
    expect(groupOf(task('d', '2026-03-16T12:00:00Z'), today, SP)).toBe('upcoming')
    expect(groupOf(task('e', null), today, SP)).toBe('noDate')
    expect(groupOf(task('f', '2026-03-08T15:00:00Z', 'done'), today, SP)).toBe('done')
  })

  it('the same instant falls on another day in another zone', () => {
    const due = task('x', '2026-03-10T02:30:00Z')
    expect(groupTasks([due], now, SP).today.map((t) => t.id)).toEqual(['x'])
    // In Tokyo it is already the 10th at 10:00 and the task is due at 11:30 the same day.
    expect(groupTasks([due], now, TOKYO).today.map((t) => t.id)).toEqual(['x'])
    // In UTC "now" is the 10th and the task too; a day later it is overdue.
    expect(groupTasks([due], new Date('2026-03-11T01:00:00Z'), 'UTC').overdue.map((t) => t.id)).toEqual(['x'])
  })

  it('orders each group: by due time, newest undated first, latest done first', () => {
    const g = groupTasks(
      [
        task('late2', '2026-03-05T10:00:00Z'),
        task('late1', '2026-03-01T10:00:00Z'),
        task('today2', '2026-03-09T20:00:00Z'),
        task('today1', '2026-03-09T12:00:00Z'),
        task('nodate-old', null, 'todo', { created_at: '2026-01-01T00:00:00Z' }),
        task('nodate-new', null, 'in_progress', { created_at: '2026-02-01T00:00:00Z' }),
        task('done-old', null, 'done', { completed_at: '2026-03-01T00:00:00Z' }),
        task('done-new', '2026-03-20T00:00:00Z', 'done', { completed_at: '2026-03-08T00:00:00Z' }),
        task('next', '2026-03-12T10:00:00Z'),
      ],
      now,
      SP,
    )
    expect(g.overdue.map((t) => t.id)).toEqual(['late1', 'late2'])
    expect(g.today.map((t) => t.id)).toEqual(['today1', 'today2'])
    expect(g.upcoming.map((t) => t.id)).toEqual(['next'])
    expect(g.noDate.map((t) => t.id)).toEqual(['nodate-new', 'nodate-old'])
    expect(g.done.map((t) => t.id)).toEqual(['done-new', 'done-old'])
  })
})
