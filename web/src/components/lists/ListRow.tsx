import { memo, type ReactNode } from 'react'
import { cn } from '@/lib/utils'

const HIDE = { sm: 'hidden sm:flex', md: 'hidden md:flex', lg: 'hidden lg:flex' }

export interface RowColumn<T> {
  key: string
  render: (row: T) => ReactNode
  className?: string
  hideBelow?: 'sm' | 'md' | 'lg'
}

interface Props<T> {
  row: T & { id: string }
  index: number
  top: number
  height: number
  gridTemplate: string
  columns: RowColumn<T>[]
  active: boolean
  selected: boolean
  clickable: boolean
  selectLabel: string
  onOpen: (row: T) => void
  onToggle: (id: string) => void
}

/**
 * One row of a virtualized list. Memoized: while scrolling (and when a page is
 * appended) only rows entering the viewport render; the others keep their DOM.
 */
function ListRowImpl<T>({
  row,
  index,
  top,
  height,
  gridTemplate,
  columns,
  active,
  selected,
  clickable,
  selectLabel,
  onOpen,
  onToggle,
}: Props<T>) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-testid="list-row"
      onClick={() => onOpen(row)}
      className={cn(
        'absolute left-0 right-0 grid items-center border-b px-3 text-[13px] hover:bg-accent/60',
        clickable && 'cursor-pointer',
        active && 'bg-accent/60 ring-1 ring-inset ring-ring/40',
        selected && 'bg-primary/5',
      )}
      style={{ gridTemplateColumns: gridTemplate, height, transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="flex items-center px-1" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          aria-label={selectLabel}
          className="size-3.5 accent-[var(--primary)]"
          checked={selected}
          onChange={() => onToggle(row.id)}
        />
      </div>
      {columns.map((c) => (
        <div key={c.key} role="cell" className={cn('flex min-w-0 items-center px-2', c.hideBelow && HIDE[c.hideBelow], c.className)}>
          {c.render(row)}
        </div>
      ))}
    </div>
  )
}

export const ListRow = memo(ListRowImpl) as typeof ListRowImpl
