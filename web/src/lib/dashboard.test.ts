import { describe, expect, it } from 'vitest'
import type { Dashboard } from '@/api/types'
import { activityTotals, forecastShare, funnelRows, isEmptyDashboard, sourceSlices } from './dashboard'

const day = (date: string, counts: Partial<Record<'call' | 'email' | 'meeting' | 'whatsapp' | 'sms' | 'note', number>> = {}) => ({
  date,
  call: 0,
  email: 0,
  meeting: 0,
  whatsapp: 0,
  sms: 0,
  note: 0,
  ...counts,
})

const base = (): Dashboard => ({
  pipeline_id: 'p',
  currency: 'BRL',
  days: 7,
  kpis: { open_leads: 0, pipeline_value: 0, weighted_forecast: 0, won_this_month: { count: 0, value: 0 }, tasks_due: 0, tasks_overdue: 0 },
  funnel: [
    { stage_id: 'a', name: 'Lead', color: '#60a5fa', kind: 'open', count: 0, value: 0 },
    { stage_id: 'b', name: 'Closed', color: 'not-a-color', kind: 'closed', count: 0, value: 0 },
  ],
  sources: [],
  activity: [day('2026-11-01'), day('2026-11-02')],
})

describe('dashboard shaping', () => {
  it('sums activity per channel and overall', () => {
    const t = activityTotals([day('2026-11-01', { call: 2, whatsapp: 1 }), day('2026-11-02', { call: 1, note: 4 })])
    expect(t.byChannel).toEqual({ whatsapp: 1, email: 0, call: 3, meeting: 0, sms: 0, note: 4 })
    expect(t.total).toBe(8)
  })

  it('calls a fresh organization empty, and not once anything happened', () => {
    const d = base()
    expect(isEmptyDashboard(d)).toBe(true)
    d.activity = [day('2026-11-01', { email: 1 })]
    expect(isEmptyDashboard(d)).toBe(false)
    const withLead = base()
    withLead.funnel[0].count = 1
    expect(isEmptyDashboard(withLead)).toBe(false)
    const withTask = base()
    withTask.kpis.tasks_due = 2
    expect(isEmptyDashboard(withTask)).toBe(false)
  })

  it('scales funnel bars to the largest stage and keeps only real colors', () => {
    const rows = funnelRows([
      { stage_id: 'a', name: 'Lead', color: '#60a5fa', kind: 'open', count: 10, value: 100 },
      { stage_id: 'b', name: 'Proposal', color: 'red;background:url(x)', kind: 'open', count: 5, value: 50 },
      { stage_id: 'c', name: 'Closed', color: '#34d399', kind: 'closed', count: 5, value: 0 },
    ])
    expect(rows.map((r) => r.width)).toEqual([1, 0.5, 0.5])
    expect(rows.map((r) => r.share)).toEqual([0.5, 0.25, 0.25])
    expect(rows[1].color).toBe('#94a3b8')
    expect(funnelRows([{ stage_id: 'a', name: 'Lead', color: '#fff', kind: 'open', count: 0, value: 0 }])[0].width).toBe(0)
  })

  it('ranks sources and folds the tail into one slice', () => {
    const sources = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((source, i) => ({ source, count: 7 - i }))
    const slices = sourceSlices(sources, 5)
    expect(slices.map((s) => s.source)).toEqual(['a', 'b', 'c', 'd', 'other'])
    expect(slices.at(-1)).toMatchObject({ count: 3 + 2 + 1, other: true })
    expect(slices.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1)
    expect(sourceSlices([{ source: 'web', count: 0 }])).toEqual([])
    expect(sourceSlices([{ source: 'web', count: 2 }])).toEqual([{ source: 'web', count: 2, share: 1, other: false }])
  })

  it('gives the forecast as a share of the pipeline, never over 100%', () => {
    const k = base().kpis
    expect(forecastShare(k)).toBe(0)
    expect(forecastShare({ ...k, pipeline_value: 1000, weighted_forecast: 250 })).toBe(0.25)
    expect(forecastShare({ ...k, pipeline_value: 100, weighted_forecast: 250 })).toBe(1)
  })
})
