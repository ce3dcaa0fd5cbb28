import { useTranslation } from 'react-i18next'
import type { Dashboard } from '@/api/types'
import { funnelRows } from '@/lib/dashboard'
import { formatMoney, formatNumber, formatPercent } from '@/lib/format'

/** Leads per stage as horizontal bars in the stages' own colors. */
export function Funnel({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rows = funnelRows(data.funnel)
  if (rows.length === 0) return <p className="py-8 text-center text-sm text-muted-foreground">{t('pipeline.noStages')}</p>
  return (
    <ol className="grid gap-3" aria-label={t('dashboard.funnel')}>
      {rows.map((r) => (
        <li key={r.stageId} className="grid gap-1.5" data-testid="funnel-row" data-stage-name={r.name}>
          <div className="flex items-baseline gap-2 text-[13px]">
            <span className="size-2 shrink-0 translate-y-[-1px] rounded-full" style={{ background: r.color }} aria-hidden />
            <span className="min-w-0 flex-1 truncate font-medium">{r.name}</span>
            <span className="tabular-nums text-muted-foreground">{formatMoney(r.value, data.currency, lang, true)}</span>
            <span className="w-10 text-right font-semibold tabular-nums" data-testid="funnel-count">
              {formatNumber(r.count, lang)}
            </span>
          </div>
          <div
            className="h-2 overflow-hidden rounded-full bg-muted"
            role="img"
            aria-label={t('dashboard.funnelBar', { stage: r.name, count: r.count, share: formatPercent(r.share, lang) })}
          >
            <div
              className="h-full rounded-full transition-[width] duration-500"
              style={{ width: `${Math.max(r.count ? 2 : 0, r.width * 100)}%`, background: r.color }}
            />
          </div>
        </li>
      ))}
    </ol>
  )
}
