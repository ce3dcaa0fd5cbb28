/**
 * Money added up per currency: a column of the board (or the whole board)
 * may hold BRL and USD deals, and their sums are shown apart, never one
 * currency's amount under another's symbol.
 */

export interface CurrencyTotal {
  currency: string
  count: number
  value: number
  weighted: number
}

/** Largest count first; the main currency first among equals. */
function order(totals: CurrencyTotal[], main?: string): CurrencyTotal[] {
  return totals.sort(
    (a, b) => b.count - a.count || (a.currency === main ? -1 : b.currency === main ? 1 : a.currency.localeCompare(b.currency)),
  )
}

/** `totals` with one deal of `currency` added (`sign` 1) or taken out (`sign` -1). */
export function addDeal(totals: CurrencyTotal[], currency: string, value: number, weighted: number, sign: 1 | -1 = 1): CurrencyTotal[] {
  const out = totals.map((t) => ({ ...t }))
  let row = out.find((t) => t.currency === currency)
  if (!row) {
    row = { currency, count: 0, value: 0, weighted: 0 }
    out.push(row)
  }
  row.count += sign
  row.value += sign * value
  row.weighted += sign * weighted
  return order(out.filter((t) => t.count > 0))
}

/** Several columns' totals as one list (the board's summary). */
export function sumTotals(lists: CurrencyTotal[][], main?: string): CurrencyTotal[] {
  const by = new Map<string, CurrencyTotal>()
  for (const list of lists)
    for (const t of list) {
      const row = by.get(t.currency) ?? { currency: t.currency, count: 0, value: 0, weighted: 0 }
      row.count += t.count
      row.value += t.value
      row.weighted += t.weighted
      by.set(t.currency, row)
    }
  return order([...by.values()], main)
}

/**
 * Each currency's sum formatted on its own ("R$ 12.500 · US$ 3.000"); the
 * main currency's zero when there is nothing, so an empty column still says
 * which money it counts.
 */
export function totalsText(
  totals: CurrencyTotal[],
  main: string,
  format: (value: number, currency: string) => string,
  pick: 'value' | 'weighted' = 'value',
): string {
  const shown = totals.filter((t) => t.count > 0)
  if (shown.length === 0) return format(0, main)
  return shown.map((t) => format(t[pick], t.currency)).join(' · ')
}
