import { memo, useRef, type ReactNode } from 'react'
import { Link, useHref } from 'react-router-dom'
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
  /** The record's page: the first cell links to it, and a click anywhere on the row opens it. */
  href?: string
  selectLabel: string
  onOpen: (row: T) => void
  onToggle: (id: string) => void
}

/** Clicks on these are theirs (a link, a checkbox, an editor), not the row's. */
const OWN_CLICKS = 'a,button,input,select,textarea,label,[role="combobox"]'
/** A double-click here edits the cell: a single click opens the row only once it is clearly not the first of two. */
const EDITABLE = '[data-testid="editable-cell"]'
const DOUBLE_CLICK_MS = 250

/**
 * One row of a virtualized list. Memoized: while scrolling (and when a page is
 * appended) only rows entering the viewport render; the others keep their DOM.
 * The row is a link to its record as people expect one: its name is a real
 * link, and a click elsewhere on it opens the record — in a new tab with
 * Ctrl/⌘ or the middle button.
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
  href,
  selectLabel,
  onOpen,
  onToggle,
}: Props<T>) {
  const absolute = useHref(href ?? '.')
  const inNewTab = () => window.open(absolute, '_blank', 'noopener')
  const pending = useRef<number | undefined>(undefined)
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-testid="list-row"
      onClick={(e) => {
        if (!href || (e.target as Element).closest(OWN_CLICKS)) return
        if (e.ctrlKey || e.metaKey || e.shiftKey) inNewTab()
        else if ((e.target as Element).closest(EDITABLE)) {
          window.clearTimeout(pending.current)
          if (e.detail <= 1) pending.current = window.setTimeout(() => onOpen(row), DOUBLE_CLICK_MS)
        } else onOpen(row)
      }}
      onDoubleClickCapture={() => window.clearTimeout(pending.current)}
      // The middle button opens a tab (and does not start the browser's autoscroll).
      onMouseDown={(e) => {
        if (href && e.button === 1 && !(e.target as Element).closest('a')) e.preventDefault()
      }}
      onAuxClick={(e) => {
        if (href && e.button === 1 && !(e.target as Element).closest(OWN_CLICKS)) {
          e.preventDefault()
          inNewTab()
        }
      }}
      className={cn(
        'absolute left-0 right-0 grid items-center border-b px-3 text-[13px] hover:bg-accent/60',
        href && 'cursor-pointer',
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
      {columns.map((c, i) => (
        <div key={c.key} role="cell" className={cn('flex min-w-0 items-center px-2', c.hideBelow && HIDE[c.hideBelow], c.className)}>
          {i === 0 && href ? (
            <Link to={href} className="flex min-w-0 items-center hover:underline" data-testid="row-link" tabIndex={-1}>
              {c.render(row)}
            </Link>
          ) : (
            c.render(row)
          )}
        </div>
      ))}
    </div>
  )
}

export const ListRow = memo(ListRowImpl) as typeof ListRowImpl
