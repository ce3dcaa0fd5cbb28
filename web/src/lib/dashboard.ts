/** Pure shaping of the dashboard answer for the charts (tested in dashboard.test.ts). */
import type { Dashboard } from '@/api/types'

export const CHANNELS = ['whatsapp', 'email', 'call', 'meeting', 'sms', 'note'] as const
export type Channel = (typeof CHANNELS)[number]
export const PERIODS = [7, 30, 90] as const

type Day = Dashboard['activity'][number]

/** Interactions per channel over the whole period, and their sum. */
export function activityTotals(activity: Day[]): { byChannel: Record<Channel, number>; total: number } {
  const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>
  for (const day of activity) for (const c of CHANNELS) byChannel[c] += day[c] ?? 0
  return { byChannel, total: CHANNELS.reduce((s, c) => s + byChannel[c], 0) }
}

/** True when the organization has nothing to show yet: no leads in the pipeline, no activity, no tasks. */
export function isEmptyDashboard(d: Dashboard): boolean {
  const leads = d.funnel.reduce((s, f) => s + f.count, 0) + d.kpis.open_leads + d.kpis.won_this_month.count
  return leads === 0 && activityTotals(d.activity).total === 0 && d.kpis.tasks_due === 0
}

export interface FunnelRow {
  stageId: string
  name: string
  color: string
  count: number
  value: number
  /** Bar width: share of the largest stage, 0..1. */
  width: number
  /** Share of every lead in the pipeline, 0..1. */
  share: number
}

export function funnelRows(funnel: Dashboard['funnel']): FunnelRow[] {
  const max = Math.max(0, ...funnel.map((f) => f.count))
  const total = funnel.reduce((s, f) => s + f.count, 0)
  return funnel.map((f) => ({
    stageId: f.stage_id,
    name: f.name,
    color: /^#[0-9a-f]{3,8}$/i.test(f.color) ? f.color : '#94a3b8',
    count: f.count,
    value: f.value,
    width: max ? f.count / max : 0,
    share: total ? f.count / total : 0,
  }))
}

export interface SourceSlice {
  source: string
  count: number
  share: number
  /** True for the slice that gathers the smaller sources. */
  other: boolean
}

/** The `keep - 1` largest sources, then one slice for the rest (when there are more than `keep`). */
export function sourceSlices(sources: Dashboard['sources'], keep = 5): SourceSlice[] {
  const sorted = [...sources].filter((s) => s.count > 0).sort((a, b) => b.count - a.count || a.source.localeCompare(b.source))
  const total = sorted.reduce((s, x) => s + x.count, 0)
  if (!total) return []
  const head = sorted.length > keep ? sorted.slice(0, keep - 1) : sorted
  const rest = sorted.length > keep ? sorted.slice(keep - 1).reduce((s, x) => s + x.count, 0) : 0
  const slices = head.map((s) => ({ source: s.source, count: s.count, share: s.count / total, other: false }))
  if (rest) slices.push({ source: 'other', count: rest, share: rest / total, other: true })
  return slices
}

/** The weighted forecast as a share of the pipeline value, 0..1 (0 for an empty pipeline). */
export function forecastShare(k: Dashboard['kpis']): number {
  return k.pipeline_value > 0 ? Math.min(1, k.weighted_forecast / k.pipeline_value) : 0
}
