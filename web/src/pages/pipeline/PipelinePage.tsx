import { useEffect } from 'react'
import { useNavigate, useParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { KanbanSquare } from 'lucide-react'
import { useBoard, usePipelines } from '@/api/hooks/pipelines'
import { useMemberMap } from '@/api/hooks/orgs'
import { NewLeadDialog } from '@/components/leads/NewLeadDialog'
import { NativeSelect } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { formatMoney, formatNumber } from '@/lib/format'
import { Board } from './Board'

export default function PipelinePage() {
  const { t, i18n } = useTranslation()
  const { pipelineId } = useParams()
  const navigate = useNavigate()
  const pipelines = usePipelines()
  const chosen = pipelines.data?.find((p) => p.id === pipelineId) ?? pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0]
  const board = useBoard(chosen?.id)
  const members = useMemberMap()

  useEffect(() => {
    document.title = `${t('nav.pipeline')} · Loved CRM`
  }, [t])

  const total = board.data?.columns.reduce((s, c) => s + c.value_total, 0) ?? 0
  const count = board.data?.columns.reduce((s, c) => s + c.count, 0) ?? 0
  const currency = board.data?.columns.find((c) => c.leads.length)?.leads[0]?.currency ?? 'BRL'

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 px-4 pb-4 pt-5 md:px-6">
        <div className="min-w-0">
          <h1 className="text-lg font-semibold tracking-tight">{t('nav.pipeline')}</h1>
          <p className="text-xs text-muted-foreground" data-testid="pipeline-summary">
            {board.data
              ? t('pipeline.summary', {
                  count,
                  formattedCount: formatNumber(count, i18n.language),
                  value: formatMoney(total, currency, i18n.language),
                })
              : '\u00a0'}
          </p>
        </div>
        <div className="ml-auto flex items-center gap-2">
          {pipelines.data && pipelines.data.length > 1 && (
            <NativeSelect
              aria-label={t('pipeline.select')}
              value={chosen?.id}
              onChange={(e) => navigate(`/pipeline/${e.target.value}`)}
              className="h-8 text-[13px]"
            >
              {pipelines.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          )}
          <NewLeadDialog pipelineId={chosen?.id} stageId={chosen?.stages[0]?.id} />
        </div>
      </div>
      <div className="min-h-0 flex-1">
        {board.data ? (
          board.data.columns.length === 0 ? (
            <div className="flex h-full flex-col items-center justify-center gap-2 text-muted-foreground">
              <KanbanSquare className="size-8" />
              {t('pipeline.noStages')}
            </div>
          ) : (
            <Board board={board.data} members={members} />
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
