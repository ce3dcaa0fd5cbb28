/**
 * The pure logic of the Kanban board: where a dragged card lands and what the
 * board looks like after a move (used for the optimistic update).
 */
import type { Board, Lead } from '@/api/types'
import { addDeal } from './totals'

/** Card ids per column (stage id), in display order. */
export type Columns = Record<string, string[]>

export function columnsOf(board: Board): Columns {
  const out: Columns = {}
  for (const c of board.columns) out[c.stage.id] = c.leads.map((l) => l.id)
  return out
}

/** The column holding `id`, or `id` itself when it names a column. */
export function findColumn(columns: Columns, id: string): string | undefined {
  if (id in columns) return id
  return Object.keys(columns).find((col) => columns[col].includes(id))
}

/**
 * Moves `active` next to `over` (a card or a column) while dragging.
 * Within one column the card takes `over`'s place; into another column it goes
 * before `over`, or after it when `below` (the pointer is past its middle), or
 * at the end when `over` is the column itself.
 */
export function moveOver(columns: Columns, active: string, over: string, below = false): Columns {
  const from = findColumn(columns, active)
  const to = findColumn(columns, over)
  if (!from || !to || active === over) return columns
  if (from === to) {
    const list = columns[from]
    const oldIndex = list.indexOf(active)
    const newIndex = over === to ? list.length - 1 : list.indexOf(over)
    if (oldIndex === newIndex || newIndex < 0) return columns
    return { ...columns, [from]: arrayMove(list, oldIndex, newIndex) }
  }
  const source = columns[from].filter((id) => id !== active)
  const target = columns[to].filter((id) => id !== active)
  let index = over === to ? target.length : target.indexOf(over) + (below ? 1 : 0)
  if (index < 0) index = target.length
  target.splice(index, 0, active)
  return { ...columns, [from]: source, [to]: target }
}

/** A column's horizontal extent on screen. */
export interface ColumnSpan {
  id: string
  left: number
  right: number
}

/**
 * The column a pointer at `x` is over: the one it is inside, or in a gap the
 * nearest one within `reach` pixels; none when it is farther from every column
 * (over the sidebar, say). Only `x` counts: columns never move sideways when a
 * card changes column, so the answer cannot flip while the pointer rests
 * (choosing by the dragged card's overlap did, and crashed the board).
 */
export function columnAt(x: number, spans: ColumnSpan[], reach = 24): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const s of spans) {
    const distance = x < s.left ? s.left - x : x > s.right ? x - s.right : 0
    if (distance < bestDistance) {
      best = s.id
      bestDistance = distance
    }
  }
  return bestDistance <= reach ? best : undefined
}

/** A card as it is on screen: its id and vertical extent. */
export interface CardSpan {
  id: string
  top: number
  bottom: number
}

/**
 * Where a card dropped at height `y` goes in `list` (the column's ids without
 * the dragged card), judged by the cards on screen (`shown`, without the
 * dragged card; a long column shows only some): after the last one whose
 * middle is above `y`, else before the first shown. Cards above the dragged
 * card's gap do not move when it moves, so the answer is stable while the
 * pointer rests.
 */
export function indexAt(y: number, shown: CardSpan[], list: string[]): number {
  let index: number | undefined
  let first: number | undefined
  for (const card of shown) {
    const at = list.indexOf(card.id)
    if (at < 0) continue
    if (first === undefined || at < first) first = at
    if ((card.top + card.bottom) / 2 < y && (index === undefined || at + 1 > index)) index = at + 1
  }
  return index ?? first ?? list.length
}

/** `columns` with `id` taken out and put at `index` of column `to`. */
export function placeAt(columns: Columns, id: string, to: string, index: number): Columns {
  const from = findColumn(columns, id)
  if (!from || !(to in columns)) return columns
  const target = columns[to].filter((x) => x !== id)
  const at = Math.max(0, Math.min(index, target.length))
  if (from === to && columns[to].indexOf(id) === at) return columns
  target.splice(at, 0, id)
  return { ...columns, [from]: columns[from].filter((x) => x !== id), [to]: target }
}

export function arrayMove<T>(list: T[], from: number, to: number): T[] {
  const copy = list.slice()
  const [item] = copy.splice(from, 1)
  copy.splice(to, 0, item)
  return copy
}

/** Where a card is: its column and 0-based index. */
export function placeOf(columns: Columns, id: string): { stageId: string; index: number } | null {
  const stageId = findColumn(columns, id)
  if (!stageId || stageId === id) return null
  return { stageId, index: columns[stageId].indexOf(id) }
}

function weight(lead: Lead, probability: number): number {
  return (lead.estimated_value ?? 0) * ((lead.probability ?? probability) / 100)
}

/**
 * The board after moving `leadId` to `index` of `stageId`: cards, counts, the
 * totals per currency (and the main currency's value and weighted value) of
 * both columns updated. Unknown ids leave it unchanged.
 */
export function applyMove(board: Board, leadId: string, stageId: string, index: number): Board {
  const fromCol = board.columns.find((c) => c.leads.some((l) => l.id === leadId))
  const toCol = board.columns.find((c) => c.stage.id === stageId)
  if (!fromCol || !toCol) return board
  const lead = fromCol.leads.find((l) => l.id === leadId)!
  const moved = {
    ...lead,
    stage_id: stageId,
    probability: fromCol === toCol ? lead.probability : toCol.stage.probability,
  }
  const value = lead.estimated_value ?? 0
  const main = lead.currency === board.currency
  return {
    ...board,
    columns: board.columns.map((c) => {
      if (c === fromCol && c === toCol) {
        const rest = c.leads.filter((l) => l.id !== leadId)
        rest.splice(Math.min(index, rest.length), 0, moved)
        return { ...c, leads: rest }
      }
      if (c === fromCol) {
        const w = weight(lead, c.stage.probability)
        return {
          ...c,
          leads: c.leads.filter((l) => l.id !== leadId),
          count: Math.max(0, c.count - 1),
          value_total: main ? c.value_total - value : c.value_total,
          weighted_value: main ? c.weighted_value - w : c.weighted_value,
          totals: addDeal(c.totals ?? [], lead.currency, value, w, -1),
          outcomes:
            c.outcomes && lead.status !== 'open'
              ? { ...c.outcomes, [lead.status]: Math.max(0, (c.outcomes[lead.status as 'won' | 'lost'] ?? 0) - 1) }
              : c.outcomes,
        }
      }
      if (c === toCol) {
        const leads = c.leads.slice()
        leads.splice(Math.min(index, leads.length), 0, moved)
        const w = weight(moved, c.stage.probability)
        return {
          ...c,
          leads,
          count: c.count + 1,
          value_total: main ? c.value_total + value : c.value_total,
          weighted_value: main ? c.weighted_value + w : c.weighted_value,
          totals: addDeal(c.totals ?? [], lead.currency, value, w, 1),
        }
      }
      return c
    }),
  }
}

/** Updates one card with the server's copy of its lead (after a move succeeded), keeping what only cards have (the next task). */
export function replaceLead(board: Board, lead: Lead): Board {
  return {
    ...board,
    columns: board.columns.map((c) =>
      c.leads.some((l) => l.id === lead.id) ? { ...c, leads: c.leads.map((l) => (l.id === lead.id ? { ...l, ...lead } : l)) } : c,
    ),
  }
}
