import { describe, expect, it } from 'vitest'
import type { Board, Lead, Stage } from '@/api/types'
import { applyMove, columnAt, columnsOf, findColumn, indexAt, moveOver, placeAt, placeOf } from './board'

function stage(id: string, probability = 50): Stage {
  return { id, pipeline_id: 'p', name: id.toUpperCase(), color: '#000000', probability, kind: 'open', position: 0, version: 1 }
}

function lead(id: string, stage_id: string, estimated_value: number | null = 100): Lead {
  return {
    id,
    organization_id: 'o',
    title: id,
    pipeline_id: 'p',
    stage_id,
    position: 0,
    status: 'open',
    currency: 'BRL',
    source: 'manual',
    custom_fields: {},
    created_at: '',
    updated_at: '',
    version: 1,
    estimated_value,
    tags: [],
  } as Lead
}

function board(): Board {
  return {
    pipeline: { id: 'p', name: 'Sales', position: 0, is_default: true, created_at: '', updated_at: '', version: 1, stages: [] },
    columns: [
      {
        stage: stage('a', 10),
        leads: [lead('1', 'a'), lead('2', 'a', 200), lead('3', 'a')],
        count: 3,
        value_total: 400,
        weighted_value: 40,
        totals: [{ currency: 'BRL', count: 3, value: 400, weighted: 40 }],
      },
      {
        stage: stage('b', 50),
        leads: [lead('4', 'b')],
        count: 1,
        value_total: 100,
        weighted_value: 50,
        totals: [{ currency: 'BRL', count: 1, value: 100, weighted: 50 }],
      },
      { stage: stage('c', 100), leads: [], count: 0, value_total: 0, weighted_value: 0, totals: [] },
    ],
    currency: 'BRL',
  } as unknown as Board
}

describe('columns while dragging', () => {
  const cols = columnsOf(board())

  it('finds the column of a card or of a column id', () => {
    expect(findColumn(cols, '2')).toBe('a')
    expect(findColumn(cols, 'c')).toBe('c')
    expect(findColumn(cols, 'nope')).toBeUndefined()
  })

  it('reorders within a column like arrayMove', () => {
    expect(moveOver(cols, '1', '3').a).toEqual(['2', '3', '1'])
    expect(moveOver(cols, '3', '1').a).toEqual(['3', '1', '2'])
  })

  it('moves into another column before or after the card under the pointer', () => {
    expect(moveOver(cols, '2', '4')).toMatchObject({ a: ['1', '3'], b: ['2', '4'] })
    expect(moveOver(cols, '2', '4', true)).toMatchObject({ a: ['1', '3'], b: ['4', '2'] })
  })

  it('drops at the end of a column hovered itself, including an empty one', () => {
    expect(moveOver(cols, '1', 'b').b).toEqual(['4', '1'])
    expect(moveOver(cols, '1', 'c').c).toEqual(['1'])
  })

  it('leaves the columns alone for unknown ids or a card over itself', () => {
    expect(moveOver(cols, 'x', '1')).toBe(cols)
    expect(moveOver(cols, '1', '1')).toBe(cols)
  })

  it('reports the place a card ended at', () => {
    expect(placeOf(moveOver(cols, '2', '4', true), '2')).toEqual({ stageId: 'b', index: 1 })
    expect(placeOf(cols, 'a')).toBeNull()
  })
})

describe('the column under the pointer', () => {
  const spans = [
    { id: 'a', left: 272, right: 528 },
    { id: 'b', left: 556, right: 812 },
    { id: 'c', left: 840, right: 1096 },
  ]

  it('is the column the pointer is inside', () => {
    expect(columnAt(300, spans)).toBe('a')
    expect(columnAt(812, spans)).toBe('b')
  })

  it('is the nearest column when the pointer is in a gap', () => {
    // 537 is where the demo board crashed: between a and b, nearer a.
    expect(columnAt(537, spans)).toBe('a')
    expect(columnAt(550, spans)).toBe('b')
  })

  it('is none far from every column', () => {
    expect(columnAt(100, spans)).toBeUndefined()
    expect(columnAt(1200, spans)).toBeUndefined()
    expect(columnAt(100, [])).toBeUndefined()
  })
})

describe('the place under the pointer within a column', () => {
  // Cards 100 px tall with 8 px gaps; the dragged card is not among them.
  const spans = (ids: string[], from = 0) => ids.map((id, i) => ({ id, top: from + i * 108, bottom: from + i * 108 + 100 }))

  it('goes after the last card whose middle is above the pointer', () => {
    const list = ['1', '2', '3']
    expect(indexAt(10, spans(list), list)).toBe(0)
    expect(indexAt(60, spans(list), list)).toBe(1)
    expect(indexAt(170, spans(list), list)).toBe(2)
    expect(indexAt(900, spans(list), list)).toBe(3)
  })

  it('counts in the whole column when only some cards are shown', () => {
    const list = ['1', '2', '3', '4', '5', '6']
    expect(indexAt(60, spans(['4', '5'], 0), list)).toBe(4)
    expect(indexAt(10, spans(['4', '5'], 0), list)).toBe(3)
  })

  it('is the end of an empty column and ignores cards of other columns', () => {
    expect(indexAt(10, [], [])).toBe(0)
    expect(indexAt(10, spans(['x']), ['1'])).toBe(1)
  })

  it('stays put while the pointer rests in the gap the card opened', () => {
    // Dropped over the top of card 2 (index 1): the gap opens there and card 2
    // moves down by a slot, yet the answer is the same.
    const list = ['1', '2', '3']
    const before = indexAt(120, spans(list), list)
    const after = indexAt(120, [...spans(['1']), ...spans(['2', '3'], 216)], list)
    expect([before, after]).toEqual([1, 1])
  })
})

describe('placeAt', () => {
  const cols = columnsOf(board())

  it('moves a card to an index of another column or of its own', () => {
    expect(placeAt(cols, '2', 'b', 1)).toMatchObject({ a: ['1', '3'], b: ['4', '2'] })
    expect(placeAt(cols, '1', 'a', 2).a).toEqual(['2', '3', '1'])
    expect(placeAt(cols, '1', 'c', 5).c).toEqual(['1'])
  })

  it('returns the same columns when nothing changes', () => {
    expect(placeAt(cols, '2', 'a', 1)).toBe(cols)
    expect(placeAt(cols, 'x', 'a', 0)).toBe(cols)
    expect(placeAt(cols, '1', 'z', 0)).toBe(cols)
  })
})

describe('applyMove (the optimistic board)', () => {
  it('moves the card and updates counts, totals and weighted values', () => {
    const next = applyMove(board(), '2', 'b', 0)
    const [a, b] = next.columns
    expect(a.leads.map((l) => l.id)).toEqual(['1', '3'])
    expect(b.leads.map((l) => l.id)).toEqual(['2', '4'])
    expect(b.leads[0].stage_id).toBe('b')
    expect([a.count, a.value_total, a.weighted_value]).toEqual([2, 200, 20])
    expect([b.count, b.value_total, b.weighted_value]).toEqual([2, 300, 150])
  })

  it('keeps each currency apart: a USD deal moves its own total, never the BRL one', () => {
    const b = board()
    b.columns[0].leads[1] = { ...b.columns[0].leads[1], currency: 'USD', estimated_value: 50 }
    b.columns[0].totals = [
      { currency: 'BRL', count: 2, value: 200, weighted: 20 },
      { currency: 'USD', count: 1, value: 50, weighted: 5 },
    ]
    b.columns[0].value_total = 200
    const next = applyMove(b, '2', 'b', 0)
    const [a, bb] = next.columns
    expect(a.totals).toEqual([{ currency: 'BRL', count: 2, value: 200, weighted: 20 }])
    expect(a.value_total).toBe(200)
    expect(bb.totals).toEqual([
      { currency: 'BRL', count: 1, value: 100, weighted: 50 },
      { currency: 'USD', count: 1, value: 50, weighted: 25 },
    ])
    // The main (BRL) value does not grow by a USD amount.
    expect(bb.value_total).toBe(100)
  })

  it('reorders within a column without touching totals', () => {
    const next = applyMove(board(), '1', 'a', 2)
    expect(next.columns[0].leads.map((l) => l.id)).toEqual(['2', '3', '1'])
    expect(next.columns[0].count).toBe(3)
    expect(next.columns[0].value_total).toBe(400)
  })

  it('counts a card without a value as zero', () => {
    const b = board()
    b.columns[1].leads[0].estimated_value = null
    const next = applyMove(b, '4', 'c', 0)
    expect(next.columns[2]).toMatchObject({ count: 1, value_total: 0 })
  })

  it('is a no-op for an unknown card or stage', () => {
    const b = board()
    expect(applyMove(b, 'x', 'a', 0)).toBe(b)
    expect(applyMove(b, '1', 'z', 0)).toBe(b)
  })
})
