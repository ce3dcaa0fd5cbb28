import { useEffect, useMemo, useRef, useState } from 'react'
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core'
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { boardKey, type BoardQuery } from '@/api/hooks/pipelines'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Board as BoardData, Lead, Member } from '@/api/types'
import { columnsOf, findColumn, placeOf } from '@/lib/board'
import { BoardColumn } from './BoardColumn'
import { LeadCardBody } from './LeadCard'
import { useBoardDrag } from './useBoardDrag'
import { useMoveLead, type MoveRequest } from './useMoveLead'
import { WonLostDialog } from './WonLostDialog'

export function Board({
  board,
  members,
  query = {},
  listQuery = {},
  fresh,
  onFreshShown,
}: {
  board: BoardData
  members: Map<string, Member>
  /** The board's filters (its cache key). */
  query?: BoardQuery
  /** The same filters for `/leads`, to page a column further. */
  listQuery?: Record<string, string>
  /** A lead just created: scrolled into view and marked once it shows. */
  fresh?: string | null
  onFreshShown?: () => void
}) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const org = useCurrentOrgId()
  const pipelineId = board.pipeline.id
  const { move } = useMoveLead(pipelineId, query)
  const [closing, setClosing] = useState<MoveRequest | null>(null)
  const boardRef = useRef<HTMLDivElement>(null)
  const drag = useBoardDrag(board, boardRef)
  const { columns, columnsRef, activeId, finish } = drag

  const leads = useMemo(() => {
    const m = new Map<string, Lead>()
    for (const c of board.columns) for (const l of c.leads) m.set(l.id, l)
    return m
  }, [board])
  const stages = useMemo(() => new Map(board.columns.map((c) => [c.stage.id, c.stage])), [board])

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )

  const stageName = (id: string | undefined) => (id ? (stages.get(id)?.name ?? '') : '')
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('pipeline.a11yPicked', { name: leads.get(String(active.id))?.title ?? '' }),
    onDragOver: ({ active, over }) =>
      over
        ? t('pipeline.a11yOver', {
            name: leads.get(String(active.id))?.title ?? '',
            stage: stageName(findColumn(columnsRef.current, String(over.id))),
          })
        : '',
    onDragEnd: ({ active, over }) =>
      over
        ? t('pipeline.a11yDropped', {
            name: leads.get(String(active.id))?.title ?? '',
            stage: stageName(findColumn(columnsRef.current, String(over.id))),
          })
        : '',
    onDragCancel: ({ active }) => t('pipeline.a11yCancelled', { name: leads.get(String(active.id))?.title ?? '' }),
  }

  const onDragEnd = (event: DragEndEvent) => {
    const drop = drag.dropOf(event)
    const id = String(event.active.id)
    const before = placeOf(columnsOf(board), id)
    const after = drop && placeOf(drop.columns, id)
    const lead = leads.get(id)
    if (!drop || !before || !after || !lead || (before.stageId === after.stageId && before.index === after.index)) {
      finish()
      return
    }
    const request: MoveRequest = { lead, stageId: after.stageId, index: after.index }
    if (after.stageId !== before.stageId && stages.get(after.stageId)?.kind === 'closed') {
      // Keep the card where it was dropped while the outcome is asked.
      finish(drop.columns)
      setClosing(request)
      return
    }
    move(request)
    finish()
  }

  useEffect(() => {
    if (!fresh) return
    const el = boardRef.current?.querySelector<HTMLElement>(`[data-lead-id="${fresh}"]`)
    if (!el) return
    el.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'smooth' })
    el.animate?.([{ boxShadow: '0 0 0 3px var(--ring)' }, { boxShadow: '0 0 0 3px var(--ring)', offset: 0.7 }, { boxShadow: 'none' }], {
      duration: 1800,
    })
    onFreshShown?.()
  }, [fresh, board, onFreshShown])

  const loadMore = (stageId: string) => async () => {
    const key = boardKey(org, pipelineId, query)
    const current = qc.getQueryData<BoardData>(key)
    const col = current?.columns.find((c) => c.stage.id === stageId)
    if (!col?.next_cursor) return
    const page = unwrap(
      await api.GET('/api/v1/leads', {
        params: {
          // The continuation the board promises: same filter and order as its first page.
          query: { ...listQuery, stage_id: stageId, sort: 'position', cursor: col.next_cursor, limit: 100 } as { sort: string },
        },
      }),
    )
    qc.setQueryData<BoardData>(key, (b) =>
      b
        ? {
            ...b,
            columns: b.columns.map((c) =>
              c.stage.id === stageId ? { ...c, leads: [...c.leads, ...page.data], next_cursor: page.next_cursor ?? null } : c,
            ),
          }
        : b,
    )
  }

  const active = activeId ? leads.get(activeId) : undefined
  const overColumn = activeId ? findColumn(columns, activeId) : undefined

  return (
    <>
      <DndContext
        sensors={sensors}
        collisionDetection={drag.collision}
        onDragStart={drag.onDragStart}
        onDragMove={drag.onDragMove}
        onDragOver={drag.onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={() => finish()}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('pipeline.a11yInstructions') } }}
      >
        <div ref={boardRef} className="scrollbar-thin flex h-full gap-3 overflow-x-auto px-4 pb-4 md:px-6" data-testid="board">
          {board.columns.map((column) => (
            <BoardColumn
              key={column.stage.id}
              column={column}
              currency={board.currency}
              ids={columns[column.stage.id] ?? []}
              strategy={drag.strategy}
              leads={leads}
              members={members}
              isOver={!!activeId && overColumn === column.stage.id}
              onLoadMore={column.next_cursor ? loadMore(column.stage.id) : undefined}
            />
          ))}
        </div>
        <DragOverlay dropAnimation={{ duration: 160, easing: 'cubic-bezier(0.2, 0, 0, 1)' }}>
          {active ? (
            <div className="w-[256px]">
              <LeadCardBody lead={active} assignee={active.assigned_to ? members.get(active.assigned_to) : undefined} overlay />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      {closing && (
        <WonLostDialog
          open
          leadTitle={closing.lead.title}
          stageName={stageName(closing.stageId)}
          onCancel={() => {
            setClosing(null)
            finish()
          }}
          onConfirm={(outcome, reason) => {
            move({ ...closing, outcome, lostReason: reason })
            setClosing(null)
            finish()
          }}
        />
      )}
    </>
  )
}
