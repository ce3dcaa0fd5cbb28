import { describe, expect, it } from 'vitest'
import { addDeal, sumTotals, totalsText } from './totals'

const fmt = (v: number, c: string) => `${c} ${v}`

describe('money per currency', () => {
  it('adds and takes out deals, dropping a currency with none left', () => {
    let t = addDeal([], 'BRL', 100, 10)
    t = addDeal(t, 'USD', 50, 5)
    t = addDeal(t, 'BRL', 200, 20)
    expect(t).toEqual([
      { currency: 'BRL', count: 2, value: 300, weighted: 30 },
      { currency: 'USD', count: 1, value: 50, weighted: 5 },
    ])
    expect(addDeal(t, 'USD', 50, 5, -1)).toEqual([{ currency: 'BRL', count: 2, value: 300, weighted: 30 }])
  })

  it('sums columns currency by currency, the most used first', () => {
    const sum = sumTotals(
      [
        [{ currency: 'BRL', count: 1, value: 10, weighted: 1 }],
        [
          { currency: 'USD', count: 2, value: 20, weighted: 2 },
          { currency: 'BRL', count: 2, value: 5, weighted: 1 },
        ],
        [],
      ],
      'BRL',
    )
    expect(sum).toEqual([
      { currency: 'BRL', count: 3, value: 15, weighted: 2 },
      { currency: 'USD', count: 2, value: 20, weighted: 2 },
    ])
  })

  it('writes each currency with its own symbol, and the main one at zero when empty', () => {
    expect(
      totalsText(
        [
          { currency: 'BRL', count: 2, value: 300, weighted: 30 },
          { currency: 'USD', count: 1, value: 50, weighted: 5 },
        ],
        'BRL',
        fmt,
      ),
    ).toBe('BRL 300 · USD 50')
    expect(totalsText([], 'EUR', fmt)).toBe('EUR 0')
    expect(totalsText([{ currency: 'USD', count: 1, value: 50, weighted: 5 }], 'BRL', fmt, 'weighted')).toBe('USD 5')
  })
})
