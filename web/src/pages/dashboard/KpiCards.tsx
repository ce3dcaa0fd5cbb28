import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { CalendarClock, CircleDollarSign, Scale, Target, Trophy, type LucideIcon } from 'lucide-react'
import type { Dashboard } from '@/api/types'
import { Card, Skeleton } from '@/components/ui/misc'
import { forecastShare } from '@/lib/dashboard'
import { formatMoney, formatNumber, formatPercent } from '@/lib/format'
import { cn } from '@/lib/utils'

function Kpi({
  icon: Icon,
  tone,
  label,
  value,
  children,
  testId,
}: {
  icon: LucideIcon
  tone: string
  label: string
  value: string
  children?: ReactNode
  testId: string
}) {
  return (
    <Card className="flex min-w-0 flex-col gap-2 p-3 sm:gap-3 sm:p-4" data-testid={testId}>
      <div className="flex items-center gap-2">
        <span className={cn('hidden size-7 shrink-0 items-center justify-center rounded-md min-[400px]:flex', tone)} aria-hidden>
          <Icon className="size-4" />
        </span>
        <h2 className="text-[13px] font-medium leading-tight text-muted-foreground">{label}</h2>
      </div>
      <div className="truncate text-xl font-semibold tabular-nums tracking-tight sm:text-2xl" data-testid="kpi-value">
        {value}
      </div>
      <div className="min-h-4 text-xs text-muted-foreground">{children}</div>
    </Card>
  )
}

/** The five headline numbers of the dashboard. */
export function KpiCards({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const k = data.kpis
  const money = (v: number) => formatMoney(v, data.currency, lang, v >= 1_000_000)
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5 [&>*:last-child]:col-span-2 md:[&>*:last-child]:col-span-1">
      <Kpi
        testId="kpi-open-leads"
        icon={Target}
        tone="bg-sky-100 text-sky-700 dark:bg-sky-950 dark:text-sky-300"
        label={t('dashboard.kpi.openLeads')}
        value={formatNumber(k.open_leads, lang)}
      >
        <Link to={`/pipeline/${data.pipeline_id}`} className="hover:text-foreground hover:underline">
          {t('dashboard.kpi.openBoard')}
        </Link>
      </Kpi>
      <Kpi
        testId="kpi-pipeline-value"
        icon={CircleDollarSign}
        tone="bg-violet-100 text-violet-700 dark:bg-violet-950 dark:text-violet-300"
        label={t('dashboard.kpi.pipelineValue')}
        value={money(k.pipeline_value)}
      >
        {t('dashboard.kpi.inCurrency', { currency: data.currency })}
      </Kpi>
      <Kpi
        testId="kpi-forecast"
        icon={Scale}
        tone="bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300"
        label={t('dashboard.kpi.forecast')}
        value={money(k.weighted_forecast)}
      >
        <span className="flex items-center gap-2">
          <span className="h-1.5 w-14 overflow-hidden rounded-full bg-muted" aria-hidden>
            <span className="block h-full rounded-full bg-amber-500" style={{ width: `${forecastShare(k) * 100}%` }} />
          </span>
          {t('dashboard.kpi.ofPipeline', { share: formatPercent(forecastShare(k), lang) })}
        </span>
      </Kpi>
      <Kpi
        testId="kpi-won"
        icon={Trophy}
        tone="bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300"
        label={t('dashboard.kpi.wonThisMonth')}
        value={money(k.won_this_month.value)}
      >
        {t('dashboard.kpi.deals', { count: k.won_this_month.count, formatted: formatNumber(k.won_this_month.count, lang) })}
      </Kpi>
      <Kpi
        testId="kpi-tasks"
        icon={CalendarClock}
        tone="bg-rose-100 text-rose-700 dark:bg-rose-950 dark:text-rose-300"
        label={t('dashboard.kpi.tasksDue')}
        value={formatNumber(k.tasks_due, lang)}
      >
        {k.tasks_overdue > 0 ? (
          <Link to="/tasks" className="font-medium text-destructive hover:underline">
            {t('dashboard.kpi.overdue', { count: k.tasks_overdue, formatted: formatNumber(k.tasks_overdue, lang) })}
          </Link>
        ) : (
          <Link to="/tasks" className="hover:text-foreground hover:underline">
            {t('dashboard.kpi.noneOverdue')}
          </Link>
        )}
      </Kpi>
    </div>
  )
}

export function KpiSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5" aria-hidden>
      {[0, 1, 2, 3, 4].map((i) => (
        <Card key={i} className="space-y-3 p-4">
          <Skeleton className="h-7 w-32" />
          <Skeleton className="h-8 w-24" />
          <Skeleton className="h-3 w-20" />
        </Card>
      ))}
    </div>
  )
}
