import { useCallback, useEffect, useMemo, useState } from 'react'
import { useNavigate, useParams, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { KanbanSquare, SearchX } from 'lucide-react'
import { useBoard, usePipelines } from '@/api/hooks/pipelines'
import { useMemberMap } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { NewLeadDialog } from '@/components/leads/NewLeadDialog'
import { Button } from '@/components/ui/button'
import { NativeSelect } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { boardFilters, boardQuery, hasFilters, leadListQuery, shownUnder, withBoardFilters, type BoardFilters } from '@/lib/boardFilters'
import { formatMoney, formatNumber } from '@/lib/format'
import { sumTotals, totalsText } from '@/lib/totals'
import { Board } from './Board'
import { BoardToolbar } from './BoardToolbar'

export default function PipelinePage() {
  const { t, i18n } = useTranslation()
  const { pipelineId } = useParams()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const session = useSession()
  const me = session?.user.id ?? ''
  const pipelines = usePipelines()
  const chosen = pipelines.data?.find((p) => p.id === pipelineId) ?? pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0]
  const filters = useMemo(() => boardFilters(params), [params])
  const query = useMemo(() => boardQuery(filters), [filters])
  const board = useBoard(chosen?.id, query)
  const members = useMemberMap()
  // A lead just created: the board scrolls to it and marks it for a moment.
  const [fresh, setFresh] = useState<string | null>(null)

  useEffect(() => {
    document.title = `${t('nav.pipeline')} · Loved CRM`
  }, [t])

  const setFilters = useCallback((f: BoardFilters) => setParams(withBoardFilters(params, f), { replace: true }), [params, setParams])

  const data = board.data
  const count = data?.columns.reduce((s, c) => s + c.count, 0) ?? 0
  const currency = data?.currency ?? 'USD'
  const totals = data
    ? sumTotals(
        data.columns.map((c) => c.totals ?? []),
        currency,
      )
    : []
  const money = (v: number, c: string) => formatMoney(v, c, i18n.language)

  const onCreated = (lead: { id: string; pipeline_id?: string; title?: string; assigned_to?: string | null; tags?: string[] }) => {
    let next = params
    if (!shownUnder(filters, lead, me)) {
      next = withBoardFilters(params, { owner: '', tags: [], q: '' })
      toast.info(t('boardFilters.clearedForNew'))
    }
    setFresh(lead.id)
    if (lead.pipeline_id && lead.pipeline_id !== chosen?.id) navigate(`/pipeline/${lead.pipeline_id}?${next}`)
    else if (next !== params) setParams(next, { replace: true })
  }

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 px-4 pb-3 pt-5 md:px-6">
        <div className="min-w-0">
          <h1 className="text-lg font-semibold tracking-tight">{t('nav.pipeline')}</h1>
          <p className="text-xs text-muted-foreground" data-testid="pipeline-summary">
            {data
              ? t('pipeline.summary', {
                  count,
                  formattedCount: formatNumber(count, i18n.language),
                  value: totalsText(totals, currency, money),
                })
              : '\u00a0'}
          </p>
        </div>
        <div className="ml-auto flex items-center gap-2">
          {pipelines.data && pipelines.data.length > 1 && (
            <NativeSelect
              aria-label={t('pipeline.select')}
              value={chosen?.id}
              onChange={(e) => navigate(`/pipeline/${e.target.value}${params.size ? `?${params}` : ''}`)}
              className="h-8 text-[13px]"
            >
              {pipelines.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          )}
          <NewLeadDialog pipelineId={chosen?.id} stageId={chosen?.stages[0]?.id} onCreated={onCreated} />
        </div>
      </div>
      <BoardToolbar filters={filters} onChange={setFilters} />
      <div className="min-h-0 flex-1">
        {data ? (
          data.columns.length === 0 ? (
            <div className="flex h-full flex-col items-center justify-center gap-2 text-muted-foreground">
              <KanbanSquare className="size-8" />
              {t('pipeline.noStages')}
            </div>
          ) : (
            <>
              {hasFilters(filters) && count === 0 && (
                <div className="mx-4 mb-3 flex items-center gap-2 rounded-md border border-dashed px-3 py-2 text-[13px] text-muted-foreground md:mx-6">
                  <SearchX className="size-4" />
                  {t('boardFilters.noMatches')}
                  <Button variant="link" size="sm" className="h-auto p-0" onClick={() => setFilters({ owner: '', tags: [], q: '' })}>
                    {t('boardFilters.clear')}
                  </Button>
                </div>
              )}
              <Board
                board={data}
                members={members}
                query={query}
                listQuery={leadListQuery(filters, me)}
                fresh={fresh}
                onFreshShown={() => setFresh(null)}
              />
            </>
          )
        ) : (
          <div className="flex gap-3 px-4 md:px-6">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="w-[272px] shrink-0 space-y-2 rounded-xl bg-board p-3">
                <Skeleton className="h-4 w-24" />
                <Skeleton className="h-20 w-full" />
                <Skeleton className="h-20 w-full" />
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  )
}
