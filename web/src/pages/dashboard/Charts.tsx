/**
 * The Recharts charts of the dashboard. This module is loaded lazily (with
 * Recharts itself), so the first paint of any route does not wait for it.
 */
import { useTranslation } from 'react-i18next'
import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { TooltipContentProps } from 'recharts'
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent'
import type { Dashboard } from '@/api/types'
import { CHANNELS, activityTotals, sourceSlices } from '@/lib/dashboard'
import { formatDay, formatNumber, formatPercent } from '@/lib/format'

const channelColor = (c: string) => `var(--chart-${c})`
const SOURCE_COLORS = ['email', 'whatsapp', 'call', 'meeting', 'sms', 'note'].map(channelColor)

function TooltipBox({ title, rows }: { title: string; rows: { color: string; label: string; value: string }[] }) {
  return (
    <div className="min-w-36 rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-lg">
      <div className="mb-1.5 font-medium">{title}</div>
      {rows.map((r) => (
        <div key={r.label} className="flex items-center gap-2 py-0.5">
          <span className="size-2 rounded-[3px]" style={{ background: r.color }} aria-hidden />
          <span className="flex-1 text-muted-foreground">{r.label}</span>
          <span className="font-medium tabular-nums">{r.value}</span>
        </div>
      ))}
    </div>
  )
}

/** Interactions per day, stacked by channel, with per-channel totals as the legend. */
export function ActivityChart({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const totals = activityTotals(data.activity)
  const tick = { fontSize: 11, fill: 'var(--color-muted-foreground)' }
  return (
    <div>
      <ul className="mb-4 flex flex-wrap gap-x-5 gap-y-2" aria-label={t('dashboard.byChannel')}>
        {CHANNELS.map((c) => (
          <li key={c} className="flex items-center gap-1.5 text-xs" data-testid="activity-total" data-channel={c}>
            <span className="size-2.5 rounded-[3px]" style={{ background: channelColor(c) }} aria-hidden />
            <span className="text-muted-foreground">{t(`channels.${c}`)}</span>
            <span className="font-semibold tabular-nums">{formatNumber(totals.byChannel[c], lang)}</span>
          </li>
        ))}
      </ul>
      <div className="h-64" role="img" aria-label={t('dashboard.activityAlt', { count: totals.total, days: data.days })}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data.activity} margin={{ top: 4, right: 4, bottom: 0, left: -16 }} barCategoryGap="18%" maxBarSize={28}>
            <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
            <XAxis
              dataKey="date"
              tickFormatter={(d: string) => formatDay(d, lang)}
              tick={tick}
              tickLine={false}
              axisLine={false}
              minTickGap={24}
            />
            <YAxis allowDecimals={false} tick={tick} tickLine={false} axisLine={false} width={40} />
            <Tooltip
              cursor={{ fill: 'var(--color-accent)', opacity: 0.6 }}
              content={(p: TooltipContentProps<ValueType, NameType>) =>
                p.active && p.payload?.length ? (
                  <TooltipBox
                    title={formatDay(String(p.label), lang, true)}
                    rows={[...p.payload].reverse().map((item) => ({
                      color: channelColor(String(item.dataKey)),
                      label: t(`channels.${String(item.dataKey)}`),
                      value: formatNumber(Number(item.value ?? 0), lang),
                    }))}
                  />
                ) : null
              }
            />
            {CHANNELS.map((c, i) => (
              <Bar
                key={c}
                dataKey={c}
                stackId="a"
                fill={channelColor(c)}
                radius={i === CHANNELS.length - 1 ? [3, 3, 0, 0] : 0}
                animationDuration={400}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  )
}

/** New leads by where they came from: a donut and a ranked legend. */
export function SourcesChart({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const slices = sourceSlices(data.sources)
  const total = slices.reduce((s, x) => s + x.count, 0)
  const label = (source: string) => t(`leads.sources.${source}`, { defaultValue: source })
  if (slices.length === 0) return <p className="py-16 text-center text-sm text-muted-foreground">{t('dashboard.noSources')}</p>
  return (
    <div className="flex flex-col items-center gap-5 sm:flex-row lg:flex-col 2xl:flex-row">
      <div className="relative size-40 shrink-0" role="img" aria-label={t('dashboard.sourcesAlt', { count: total })}>
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie
              data={slices}
              dataKey="count"
              nameKey="source"
              innerRadius="68%"
              outerRadius="100%"
              paddingAngle={slices.length > 1 ? 2 : 0}
              stroke="none"
              animationDuration={400}
            >
              {slices.map((s, i) => (
                <Cell key={s.source} fill={SOURCE_COLORS[i % SOURCE_COLORS.length]} />
              ))}
            </Pie>
          </PieChart>
        </ResponsiveContainer>
        <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center">
          <span className="text-xl font-semibold tabular-nums">{formatNumber(total, lang)}</span>
          <span className="text-[11px] text-muted-foreground">{t('dashboard.leadsLabel')}</span>
        </div>
      </div>
      <ul className="grid w-full gap-2">
        {slices.map((s, i) => (
          <li key={s.source} className="flex items-center gap-2 text-[13px]" data-testid="source-row">
            <span className="size-2.5 shrink-0 rounded-[3px]" style={{ background: SOURCE_COLORS[i % SOURCE_COLORS.length] }} aria-hidden />
            <span className="min-w-0 flex-1 truncate">{s.other ? t('dashboard.otherSources') : label(s.source)}</span>
            <span className="font-medium tabular-nums">{formatNumber(s.count, lang)}</span>
            <span className="w-10 text-right text-xs tabular-nums text-muted-foreground">{formatPercent(s.share, lang)}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
