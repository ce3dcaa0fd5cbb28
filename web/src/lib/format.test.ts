import { afterEach, describe, expect, it } from 'vitest'
import { formatDate, formatDateOnly, setDisplayTimeZone } from './format'

describe('calendar dates', () => {
  afterEach(() => setDisplayTimeZone(null))

  it('shows a date-only value as that day, whatever the time zone (west of UTC too)', () => {
    setDisplayTimeZone('America/Sao_Paulo')
    expect(formatDateOnly('2026-03-01', 'en-US')).toBe('Mar 1, 2026')
    expect(formatDateOnly('2026-03-01', 'pt-BR')).toBe('1 de mar. de 2026')
    expect(formatDateOnly('2026-12-31', 'es')).toMatch(/^31 dic 2026$/)
    setDisplayTimeZone('Pacific/Kiritimati')
    expect(formatDateOnly('2026-03-01', 'en-US')).toBe('Mar 1, 2026')
  })

  it('is what formatDate gets wrong for a date-only value west of UTC (why the helper exists)', () => {
    setDisplayTimeZone('America/Sao_Paulo')
    expect(formatDate('2026-03-01', 'en-US')).toBe('Feb 28, 2026')
  })

  it('leaves nothing for nothing and keeps an unreadable value as it is', () => {
    expect(formatDateOnly(null, 'en')).toBe('')
    expect(formatDateOnly('', 'en')).toBe('')
    expect(formatDateOnly('soon', 'en')).toBe('soon')
  })
})
