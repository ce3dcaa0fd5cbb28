import { lazy, Suspense, useEffect } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ArrowRight, LayoutDashboard, Loader2, Users } from 'lucide-react'
import { useDashboard } from '@/api/hooks/dashboard'
import { usePipelines } from '@/api/hooks/pipelines'
import type { Dashboard } from '@/api/types'
import { NewLeadDialog } from '@/components/leads/NewLeadDialog'
import { Button } from '@/components/ui/button'
import { NativeSelect } from '@/components/ui/input'
import { Card } from '@/components/ui/misc'
import { PERIODS, activityTotals, isEmptyDashboard } from '@/lib/dashboard'
import { formatNumber } from '@/lib/format'
import { cn } from '@/lib/utils'
import { ChartCard, ChartSkeleton } from './ChartCard'
import { Funnel } from './Funnel'
import { KpiCards, KpiSkeleton } from './KpiCards'
import { errorText } from '@/api/errors'
import { OnboardingChecklist } from '@/components/onboarding/OnboardingChecklist'
import { AgendaCard } from './AgendaCard'

// Recharts is the heaviest dependency of the app: it comes with the charts, after the numbers.
const ActivityChart = lazy(() => import('./Charts').then((m) => ({ default: m.ActivityChart })))
const SourcesChart = lazy(() => import('./Charts').then((m) => ({ default: m.SourcesChart })))

function usePeriod(): [number, (d: number) => void, string | undefined, (id: string) => void] {
  const [params, setParams] = useSearchParams()
  const raw = Number(params.get('days'))
  const days = (PERIODS as readonly number[]).includes(raw) ? raw : 30
  const set = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p)
        next.set(key, value)
        return next
      },
      { replace: true },
    )
  return [days, (d) => set('days', String(d)), params.get('pipeline') ?? undefined, (id) => set('pipeline', id)]
}

/** Home: how the pipeline and the team's work look over the last days. */
export default function DashboardPage() {
  const { t } = useTranslation()
  const [days, setDays, pipelineParam, setPipeline] = usePeriod()
  const pipelines = usePipelines()
  const dashboard = useDashboard(pipelineParam, days)
  const data = dashboard.data
  const pipeline = pipelines.data?.find((p) => p.id === (data?.pipeline_id ?? pipelineParam))

  useEffect(() => {
    document.title = `${t('nav.dashboard')} · Loved CRM`
  }, [t])

  return (
    <div className="mx-auto max-w-7xl px-4 py-5 md:px-6" data-testid="dashboard">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0">
          <h1 className="flex items-center gap-2 text-lg font-semibold tracking-tight">
            {t('nav.dashboard')}
            {dashboard.isFetching && data && <Loader2 className="size-3.5 animate-spin text-muted-foreground" aria-hidden />}
          </h1>
          <p className="text-xs text-muted-foreground">
            {pipeline ? t('dashboard.subtitle', { pipeline: pipeline.name, count: days }) : '\u00a0'}
          </p>
        </div>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {pipelines.data && pipelines.data.length > 1 && (
            <NativeSelect
              aria-label={t('pipeline.select')}
              value={pipeline?.id ?? ''}
              onChange={(e) => setPipeline(e.target.value)}
              className="h-8 max-w-48 text-[13px]"
            >
              {pipelines.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          )}
          <PeriodPicker days={days} onChange={setDays} />
        </div>
      </div>

      <div className={cn('mt-5 grid gap-4 transition-opacity', dashboard.isPlaceholderData && 'opacity-60')}>
        <OnboardingChecklist />
        {dashboard.isError ? (
          <Card className="p-6 text-sm text-destructive" role="alert">
            {errorText(dashboard.error)}
          </Card>
        ) : data ? (
          <>
            <KpiCards data={data} />
            {isEmptyDashboard(data) ? (
              <>
                <EmptyDashboard data={data} />
                <AgendaCard />
              </>
            ) : (
              <Panels data={data} />
            )}
          </>
        ) : (
          <>
            <KpiSkeleton />
            <div className="grid gap-4 lg:grid-cols-3">
              <Card className="p-5 lg:col-span-2">
                <ChartSkeleton />
              </Card>
              <Card className="p-5">
                <ChartSkeleton />
              </Card>
            </div>
          </>
        )}
      </div>
    </div>
  )
}

function PeriodPicker({ days, onChange }: { days: number; onChange: (d: number) => void }) {
  const { t } = useTranslation()
  return (
    <div role="radiogroup" aria-label={t('dashboard.period')} className="inline-flex h-8 rounded-md border bg-card p-0.5 shadow-xs">
      {PERIODS.map((p) => (
        <button
          key={p}
          type="button"
          role="radio"
          aria-checked={days === p}
          onClick={() => onChange(p)}
          onKeyDown={(e) => {
            const i = PERIODS.indexOf(p as (typeof PERIODS)[number])
            const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
            if (!step) return
            e.preventDefault()
            const next = PERIODS[(i + step + PERIODS.length) % PERIODS.length]
            onChange(next)
            ;(e.currentTarget.parentElement?.children[PERIODS.indexOf(next)] as HTMLElement | undefined)?.focus()
          }}
          tabIndex={days === p ? 0 : -1}
          className={cn(
            'rounded-[5px] px-2.5 text-[13px] font-medium text-muted-foreground transition-colors hover:text-foreground',
            days === p && 'bg-accent text-foreground shadow-xs',
          )}
        >
          {t('dashboard.days', { count: p })}
        </button>
      ))}
    </div>
  )
}

function Panels({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation()
  const total = activityTotals(data.activity).total
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-3">
        <ChartCard
          title={t('dashboard.activity')}
          subtitle={t('dashboard.activitySubtitle', { count: total, formatted: formatNumber(total, i18n.language) })}
          className="lg:col-span-2"
          testId="activity-chart"
        >
          <Suspense fallback={<ChartSkeleton />}>
            <ActivityChart data={data} />
          </Suspense>
        </ChartCard>
        <AgendaCard />
      </div>
      <div className="grid gap-4 lg:grid-cols-5">
        <ChartCard
          title={t('dashboard.funnel')}
          subtitle={t('dashboard.funnelSubtitle')}
          className="lg:col-span-3"
          testId="funnel"
          action={
            <Link to={`/pipeline/${data.pipeline_id}`} className="flex items-center gap-1 text-xs font-medium text-primary hover:underline">
              {t('dashboard.openBoard')}
              <ArrowRight className="size-3" />
            </Link>
          }
        >
          <Funnel data={data} />
        </ChartCard>
        <ChartCard title={t('dashboard.sources')} subtitle={t('dashboard.sourcesSubtitle')} className="lg:col-span-2" testId="sources">
          <Suspense fallback={<ChartSkeleton className="h-40" />}>
            <SourcesChart data={data} />
          </Suspense>
        </ChartCard>
      </div>
    </>
  )
}

function EmptyDashboard({ data }: { data: Dashboard }) {
  const { t } = useTranslation()
  return (
    <Card className="relative overflow-hidden px-6 py-12 text-center" data-testid="dashboard-empty">
      <div
        aria-hidden
        className="absolute inset-0 bg-[radial-gradient(ellipse_at_top,color-mix(in_oklch,var(--color-primary)_12%,transparent),transparent_60%)]"
      />
      <div className="relative mx-auto flex max-w-md flex-col items-center">
        <span className="flex size-12 items-center justify-center rounded-xl bg-primary/10 text-primary">
          <LayoutDashboard className="size-6" />
        </span>
        <h2 className="mt-4 text-base font-semibold">{t('dashboard.emptyTitle')}</h2>
        <p className="mt-1.5 text-sm text-muted-foreground">{t('dashboard.emptyBody')}</p>
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <NewLeadDialog pipelineId={data.pipeline_id} />
          <Button variant="outline" size="sm" asChild>
            <Link to="/contacts">
              <Users />
              {t('dashboard.addContacts')}
            </Link>
          </Button>
        </div>
      </div>
    </Card>
  )
}
