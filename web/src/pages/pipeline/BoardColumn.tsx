import { useRef, useState } from 'react'
import { useDroppable } from '@dnd-kit/core'
import { SortableContext, type SortingStrategy } from '@dnd-kit/sortable'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useTranslation } from 'react-i18next'
import { Loader2, Trophy, XCircle } from 'lucide-react'
import type { Column, Lead, Member } from '@/api/types'
import { formatMoney, formatNumber } from '@/lib/format'
import { totalsText } from '@/lib/totals'
import { cn } from '@/lib/utils'
import { SortableLeadCard } from './LeadCard'

/** Columns longer than this render only the cards in view. */
export const VIRTUALIZE_AFTER = 40

interface Props {
  column: Column
  /** The workspace's default currency (an empty column shows its zero). */
  currency: string
  ids: string[]
  /** How the column's cards shift while a card is dragged. */
  strategy: SortingStrategy
  leads: Map<string, Lead>
  members: Map<string, Member>
  isOver: boolean
  onLoadMore?: () => Promise<void>
}

export function BoardColumn({ column, currency, ids, strategy, leads, members, isOver, onLoadMore }: Props) {
  const { t, i18n } = useTranslation()
  const { setNodeRef } = useDroppable({ id: column.stage.id, data: { type: 'column' } })
  const money = (v: number, c: string) => formatMoney(v, c, i18n.language)
  const compact = (v: number, c: string) => formatMoney(v, c, i18n.language, true)
  const totals = column.totals ?? []
  const weighted = totals.some((x) => x.weighted > 0 && x.weighted !== x.value)
  const multiCurrency = totals.filter((x) => x.count > 0).length > 1
  const kind = column.stage.kind
  const hidden = column.count - column.leads.length
  const [loading, setLoading] = useState(false)

  return (
    <section
      aria-label={column.stage.name}
      data-testid="board-column"
      data-stage-name={column.stage.name}
      data-stage-id={column.stage.id}
      className={cn(
        'flex h-full w-[272px] shrink-0 flex-col rounded-xl bg-board transition-colors',
        isOver && 'bg-primary/5 ring-1 ring-primary/30',
      )}
    >
      <header className="px-3 pb-2 pt-3">
        <div className="h-0.5 rounded-full" style={{ background: column.stage.color }} />
        <div className="mt-2.5 flex items-center gap-2">
          {kind === 'won' ? (
            <Trophy className="size-3.5 text-success" aria-hidden />
          ) : kind === 'lost' ? (
            <XCircle className="size-3.5 text-destructive" aria-hidden />
          ) : (
            <span className="size-2 rounded-full" style={{ background: column.stage.color }} aria-hidden />
          )}
          <h2 className="truncate text-[13px] font-semibold">{column.stage.name}</h2>
          <span
            className="rounded-full bg-secondary px-1.5 text-[11px] font-medium tabular-nums text-muted-foreground"
            data-testid="stage-count"
            aria-label={t('pipeline.leadCount', { count: column.count })}
          >
            {formatNumber(column.count, i18n.language)}
          </span>
        </div>
        <div className="mt-1 flex flex-wrap items-baseline gap-x-1.5 text-xs text-muted-foreground">
          {/* One sum per currency: BRL and USD are never added under one symbol. */}
          <span className="font-medium tabular-nums text-foreground/80" data-testid="stage-total">
            {totalsText(totals, currency, money)}
          </span>
          {weighted && (
            // With several currencies the weighted sums get a line of their own
            // (a wrapped line would start with the separator).
            <span className={cn('tabular-nums', multiCurrency && 'basis-full')} title={t('pipeline.weighted')}>
              {!multiCurrency && '· '}
              {t('pipeline.weightedShort', { value: totalsText(totals, currency, compact, 'weighted') })}
            </span>
          )}
        </div>
        {column.outcomes && (column.outcomes.won > 0 || column.outcomes.lost > 0) && (
          <div className="mt-1.5 flex gap-1.5 text-[11px] font-medium" data-testid="stage-outcomes">
            <span className="inline-flex items-center gap-1 rounded-full bg-success/10 px-1.5 py-px text-success" data-testid="outcome-won">
              <Trophy className="size-3" aria-hidden />
              {t('boardFilters.wonCount', { count: column.outcomes.won })}
            </span>
            <span
              className="inline-flex items-center gap-1 rounded-full bg-destructive/10 px-1.5 py-px text-destructive"
              data-testid="outcome-lost"
            >
              <XCircle className="size-3" aria-hidden />
              {t('boardFilters.lostCount', { count: column.outcomes.lost })}
            </span>
          </div>
        )}
      </header>
      <SortableContext id={column.stage.id} items={ids} strategy={strategy}>
        <div ref={setNodeRef} className="scrollbar-thin min-h-24 flex-1 overflow-y-auto px-2 pb-2">
          {ids.length > VIRTUALIZE_AFTER ? (
            <VirtualCards ids={ids} leads={leads} members={members} />
          ) : (
            <div className="flex flex-col gap-2">
              {ids.map((id) => {
                const lead = leads.get(id)
                return lead ? (
                  <SortableLeadCard key={id} lead={lead} assignee={lead.assigned_to ? members.get(lead.assigned_to) : undefined} />
                ) : null
              })}
            </div>
          )}
          {ids.length === 0 && (
            <div className="flex h-20 items-center justify-center rounded-lg border border-dashed text-xs text-muted-foreground">
              {t('pipeline.dropHere')}
            </div>
          )}
          {hidden > 0 && onLoadMore && (
            <button
              type="button"
              disabled={loading}
              onClick={async () => {
                setLoading(true)
                await onLoadMore().finally(() => setLoading(false))
              }}
              className="mt-2 flex w-full items-center justify-center gap-1.5 rounded-md py-1.5 text-xs font-medium text-muted-foreground hover:bg-accent"
            >
              {loading && <Loader2 className="size-3 animate-spin" />}
              {t('pipeline.loadMore', { count: hidden })}
            </button>
          )}
        </div>
      </SortableContext>
    </section>
  )
}

/** Only the cards in view are in the DOM; the rest are measured estimates. */
function VirtualCards({ ids, leads, members }: Pick<Props, 'ids' | 'leads' | 'members'>) {
  const parentRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => parentRef.current?.parentElement ?? null,
    estimateSize: () => 104,
    overscan: 6,
    getItemKey: (i) => ids[i],
  })
  return (
    <div ref={parentRef} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
      {virtualizer.getVirtualItems().map((item) => {
        const lead = leads.get(ids[item.index])
        if (!lead) return null
        return (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
            className="pb-2"
          >
            <SortableLeadCard lead={lead} assignee={lead.assigned_to ? members.get(lead.assigned_to) : undefined} />
          </div>
        )
      })}
    </div>
  )
}
