import { describe, expect, it } from 'vitest'
import { formatDue } from './dueText'
import { instantOf } from './zoned'

const SP = 'America/Sao_Paulo'
const now = new Date('2026-03-10T15:00:00Z') // 12:00 on the 10th in São Paulo
const at = (date: string, time: string) => instantOf(date, time, SP)!

describe('short due dates', () => {
  it('says the time today, and the relative day nearby', () => {
    expect(formatDue(at('2026-03-10', '14:30'), 'en-US', now, SP)).toBe('2:30 PM')
    expect(formatDue(at('2026-03-10', '23:59'), 'en-US', now, SP)).toBe('Today')
    expect(formatDue(at('2026-03-11', '09:00'), 'en-US', now, SP)).toBe('Tomorrow, 9:00 AM')
    expect(formatDue(at('2026-03-09', '23:59'), 'en-US', now, SP)).toBe('Yesterday')
  })

  it('gives the day further away, the year only when it differs', () => {
    expect(formatDue(at('2026-03-20', '23:59'), 'en-US', now, SP)).toBe('Mar 20')
    expect(formatDue(at('2027-01-05', '08:15'), 'en-US', now, SP)).toBe('Jan 5, 2027, 8:15 AM')
    expect(formatDue(at('2026-03-11', '23:59'), 'pt-BR', now, SP)).toBe('Amanhã')
  })
})
