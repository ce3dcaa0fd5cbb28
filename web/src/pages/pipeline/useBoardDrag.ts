import { useEffect, useRef, useState, type RefObject } from 'react'
import {
  closestCorners,
  rectIntersection,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core'
import { verticalListSortingStrategy, type SortingStrategy } from '@dnd-kit/sortable'
import type { Board } from '@/api/types'
import { columnAt, columnsOf, findColumn, indexAt, moveOver, placeAt, type Columns } from '@/lib/board'
import { pauseLiveUpdates } from '@/hooks/useOrgEvents'

/** During a pointer drag the columns' order is the layout itself: nothing is shifted by transforms. */
const noShift: SortingStrategy = () => null

/** The card's place when the drag ends: its column and index (or none when the drag came to nothing). */
export interface Drop {
  id: string
  columns: Columns
}

/**
 * The board's drag state. A pointer drag places the card from what is on
 * screen: the pointer's x picks the column (columns never move sideways when
 * a card changes column), its y picks the place among the cards shown there,
 * read from the live layout on every move and every scroll; the card is put
 * there at once, so what the user sees is what the drop saves. A keyboard
 * drag (no pointer) uses dnd-kit's sortable lists: arrows go to the nearest
 * card, across columns too.
 */
export function useBoardDrag(board: Board, boardRef: RefObject<HTMLElement | null>) {
  const [dragging, setDragging] = useState<Columns | null>(null)
  const [activeId, setActiveId] = useState<string | null>(null)
  const [byPointer, setByPointer] = useState(false)
  // The same, for handlers dnd-kit may call before React renders.
  const byPointerRef = useRef(false)
  const columns = dragging ?? columnsOf(board)
  // Written synchronously: the drop may come before React renders the last move.
  const columnsRef = useRef(columns)
  if (!dragging) columnsRef.current = columns
  const activeRef = useRef<string | null>(null)
  const pointerRef = useRef<{ x: number; y: number } | null>(null)
  const frameRef = useRef(0)

  const setColumns = (next: Columns) => {
    if (next === columnsRef.current) return
    columnsRef.current = next
    setDragging(next)
  }

  /** Puts the dragged card where the pointer is, judged by the layout now. */
  const place = () => {
    frameRef.current = 0
    const id = activeRef.current
    const pointer = pointerRef.current
    const root = boardRef.current
    if (!id || !pointer || !root) return
    const sections = [...root.querySelectorAll<HTMLElement>('[data-testid="board-column"]')]
    const spans = sections.map((el) => {
      const r = el.getBoundingClientRect()
      return { id: el.dataset.stageId ?? '', left: r.left, right: r.right }
    })
    const to = columnAt(pointer.x, spans)
    const section = sections.find((el) => el.dataset.stageId === to)
    if (!to || !section || !(to in columnsRef.current)) return
    const shown = [...section.querySelectorAll<HTMLElement>('[data-testid="lead-card"]')]
      .filter((el) => el.dataset.leadId !== id)
      .map((el) => {
        const r = el.getBoundingClientRect()
        return { id: el.dataset.leadId ?? '', top: r.top, bottom: r.bottom }
      })
    const list = columnsRef.current[to].filter((x) => x !== id)
    setColumns(placeAt(columnsRef.current, id, to, indexAt(pointer.y, shown, list)))
  }
  const schedule = () => {
    if (!frameRef.current) frameRef.current = requestAnimationFrame(place)
  }

  // The pointer as the hand moves it (the board may also scroll under a resting one).
  useEffect(() => {
    if (!byPointer) return
    const onMove = (e: PointerEvent) => {
      pointerRef.current = { x: e.clientX, y: e.clientY }
      schedule()
    }
    window.addEventListener('pointermove', onMove, { capture: true, passive: true })
    return () => {
      window.removeEventListener('pointermove', onMove, { capture: true })
      cancelAnimationFrame(frameRef.current)
      frameRef.current = 0
    }
    // schedule and place read refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [byPointer])

  // dnd-kit needs an `over` for its announcements and its drop event: under a
  // pointer, the column under it; under the keyboard, what the lifted card
  // overlaps most, cards before columns, never itself.
  const collision: CollisionDetection = (args) => {
    const cols = columnsRef.current
    const isCard = (id: UniqueIdentifier) => !(String(id) in cols)
    if (args.pointerCoordinates) {
      const to = activeRef.current ? findColumn(cols, activeRef.current) : undefined
      const container = args.droppableContainers.find((c) => c.id === to)
      return container && to ? [{ id: to, data: { droppableContainer: container, value: 0 } }] : []
    }
    const others = { ...args, droppableContainers: args.droppableContainers.filter((c) => c.id !== args.active.id) }
    const hits = rectIntersection(others)
    const cards = hits.filter((c) => isCard(c.id))
    if (cards.length) return cards
    if (hits.length) return hits
    return closestCorners(others)
  }

  const onDragStart = ({ active, activatorEvent }: DragStartEvent) => {
    pauseLiveUpdates(true)
    const id = String(active.id)
    activeRef.current = id
    setActiveId(id)
    const pointer = !(activatorEvent instanceof KeyboardEvent)
    if (pointer && activatorEvent instanceof PointerEvent) pointerRef.current = { x: activatorEvent.clientX, y: activatorEvent.clientY }
    byPointerRef.current = pointer
    setByPointer(pointer)
    setColumns(columnsOf(board))
  }

  // Scrolling (by hand or by the board's auto-scroll) moves cards under the pointer.
  const onDragMove = () => {
    if (byPointerRef.current) schedule()
  }

  // Keyboard only: into another column next to the card the lifted one reached;
  // within a column the sortable list shows the place and the drop settles it.
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (byPointerRef.current || !over) return
    const a = String(active.id)
    const o = String(over.id)
    const cols = columnsRef.current
    const from = findColumn(cols, a)
    const to = findColumn(cols, o)
    if (!from || !to || from === to) return
    const top = active.rect.current.translated?.top
    setColumns(moveOver(cols, a, o, top !== undefined && top > over.rect.top + over.rect.height / 2))
  }

  /** The card's final place, or null when the drag came to nothing. */
  const dropOf = ({ active, over }: DragEndEvent): Drop | null => {
    const id = String(active.id)
    if (byPointerRef.current) {
      if (frameRef.current) {
        cancelAnimationFrame(frameRef.current)
        place()
      }
      return { id, columns: columnsRef.current }
    }
    if (!over) return null
    return { id, columns: moveOver(columnsRef.current, id, String(over.id)) }
  }

  /** Ends the drag; `keep` holds the dropped layout (while won or lost is asked). */
  const finish = (keep?: Columns) => {
    activeRef.current = null
    byPointerRef.current = false
    setActiveId(null)
    setByPointer(false)
    if (keep) setColumns(keep)
    else {
      setDragging(null)
      pauseLiveUpdates(false)
    }
  }

  return {
    columns,
    columnsRef,
    activeId,
    strategy: byPointer ? noShift : verticalListSortingStrategy,
    collision,
    onDragStart,
    onDragMove,
    onDragOver,
    dropOf,
    finish,
  }
}
