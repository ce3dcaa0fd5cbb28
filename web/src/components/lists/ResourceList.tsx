import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ArrowDown, ArrowUp, ChevronsUpDown, Search, SearchX } from 'lucide-react'
import { api, orgHeader } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Page } from '@/api/types'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { apiQuery, filtersFrom, nextSort, withFilter, withoutFilter } from '@/lib/listQuery'
import { formatNumber } from '@/lib/format'
import { cn } from '@/lib/utils'
import { AddFilter, FilterChip, type FilterField } from './FilterBar'
import { deleteRows, tagRows, type BulkRow } from './bulk'
import { BulkBar, ColumnChooser } from './ListControls'
import { ListRow } from './ListRow'
import { errorText } from '@/api/errors'

export interface ListColumn<T> {
  key: string
  label: string
  /** API field to sort by when the header is clicked. */
  sort?: string
  /** CSS grid track, e.g. `minmax(12rem,2fr)`. */
  width: string
  render: (row: T) => ReactNode
  className?: string
  /** Hidden below this breakpoint. */
  hideBelow?: 'sm' | 'md' | 'lg'
}

interface Props<T extends BulkRow> {
  resource: 'leads' | 'contacts' | 'companies' | 'tasks' | 'projects'
  title: string
  columns: ListColumn<T>[]
  filters: FilterField[]
  rowHref?: (row: T) => string
  actions?: ReactNode
  /** Extra controls in the filter bar (e.g. a "mine / everyone" switch). */
  toolbar?: ReactNode
  empty: { title: string; body: string; action?: ReactNode }
}

const PAGE = 100
const ROW = 44
const HEADER = 36
const HIDE = { sm: 'hidden sm:flex', md: 'hidden md:flex', lg: 'hidden lg:flex' } as const

/**
 * A server-paged table: cursor pages as you scroll (only visible rows are in
 * the DOM), sorting by column header, filters with the API's operators, and
 * every choice kept in the URL.
 */
export function ResourceList<T extends BulkRow>({ resource, title, columns, filters, rowHref, actions, toolbar, empty }: Props<T>) {
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const query = apiQuery(params)
  const [text, setText] = useState(params.get('q') ?? '')
  const [focus, setFocus] = useState(0)
  const [focused, setFocused] = useState(false)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [bulkBusy, setBulkBusy] = useState(false)
  const qc = useQueryClient()
  const hiddenKey = `lovedcrm.columns.${resource}`
  const [hidden, setHiddenState] = useState<string[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(hiddenKey) ?? '[]') as string[]
    } catch {
      return []
    }
  })
  const setHidden = (h: string[]) => {
    localStorage.setItem(hiddenKey, JSON.stringify(h))
    setHiddenState(h)
  }

  // Type-ahead search: the URL follows the box after a short pause.
  useEffect(() => {
    const id = setTimeout(() => {
      const current = params.get('q') ?? ''
      if (current === text.trim()) return
      const next = new URLSearchParams(params)
      if (text.trim()) next.set('q', text.trim())
      else next.delete('q')
      setParams(next, { replace: true })
    }, 250)
    return () => clearTimeout(id)
  }, [text, params, setParams])

  const list = useInfiniteQuery({
    queryKey: [org, 'list', resource, query],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET(`/api/v1/${resource}` as '/api/v1/leads', {
          params: {
            header: orgHeader,
            query: { ...query, limit: PAGE, count: !pageParam, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ) as unknown as Page<T>,
    initialPageParam: '' as string,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
    enabled: !!org,
  })

  const pages = list.data?.pages
  const rows = useMemo(() => pages?.flatMap((p) => p.data) ?? [], [pages])
  const total = list.data?.pages[0]?.total
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
    scrollMargin: HEADER,
  })
  const items = virtualizer.getVirtualItems()
  const last = items[items.length - 1]

  useEffect(() => {
    if (last && last.index >= rows.length - 20 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage()
  }, [last, rows.length, list])

  const shown = useMemo(() => columns.filter((c, i) => i === 0 || !hidden.includes(c.key)), [columns, hidden])
  const gridTemplate = ['2rem', ...shown.map((c) => c.width)].join(' ')
  const grid = { gridTemplateColumns: gridTemplate }
  const openRow = useCallback((row: T) => rowHref && navigate(rowHref(row)), [rowHref, navigate])
  const selectedRows = rows.filter((r) => selected.has(r.id))
  const allSelected = rows.length > 0 && selectedRows.length === rows.length
  const toggle = useCallback(
    (id: string) =>
      setSelected((prev) => {
        const next = new Set(prev)
        if (next.has(id)) next.delete(id)
        else next.add(id)
        return next
      }),
    [],
  )
  const bulk = async (run: () => Promise<{ ok: number; failed: number }>, done: string) => {
    setBulkBusy(true)
    const { ok, failed } = await run()
    setBulkBusy(false)
    setSelected(new Set())
    void qc.invalidateQueries({ queryKey: [org, 'list', resource] })
    void qc.invalidateQueries({ queryKey: [org, 'board'] })
    if (failed) toast.error(t('lists.bulkPartial', { ok, failed }))
    else toast.success(t(done, { count: ok }))
  }
  const sort = params.get('sort')
  const activeFilters = filtersFrom(params)

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0) return
    let next = focus
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(rows.length - 1, focus + 1)
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, focus - 1)
    else if (e.key === 'x' && rows[focus]) {
      e.preventDefault()
      toggle(rows[focus].id)
      return
    } else if (e.key === 'Enter' && rowHref && rows[focus]) {
      navigate(rowHref(rows[focus]))
      return
    } else return
    e.preventDefault()
    setFocus(next)
    virtualizer.scrollToIndex(next)
  }

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 px-4 pb-3 pt-5 md:px-6">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
          <p className="text-xs text-muted-foreground" data-testid="list-total">
            {total != null ? t('lists.total', { count: total, formatted: formatNumber(total, i18n.language) }) : '\u00a0'}
          </p>
        </div>
        <div className="ml-auto flex items-center gap-2">{actions}</div>
      </div>
      <div className="flex flex-wrap items-center gap-2 px-4 pb-3 md:px-6">
        <div className="relative w-full sm:w-72">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('lists.search')}
            aria-label={t('lists.search')}
            className="h-8 pl-8 text-[13px]"
          />
        </div>
        {toolbar}
        <AddFilter fields={filters} onAdd={(f) => setParams(withFilter(params, f))} />
        {activeFilters.map((f) => (
          <FilterChip key={`${f.field}-${f.op}`} filter={f} fields={filters} onRemove={() => setParams(withoutFilter(params, f))} />
        ))}
        <div className="ml-auto flex items-center gap-2">
          {selectedRows.length > 0 && (
            <BulkBar
              count={selectedRows.length}
              busy={bulkBusy}
              onTag={(tag) => bulk(() => tagRows(resource, selectedRows, tag), 'lists.tagged')}
              onDelete={() => bulk(() => deleteRows(resource, selectedRows), 'lists.deleted')}
              onClear={() => setSelected(new Set())}
            />
          )}
          <ColumnChooser columns={columns} hidden={hidden} onChange={setHidden} />
        </div>
      </div>

      <div
        ref={scrollRef}
        className="scrollbar-thin relative mx-4 mb-4 min-h-0 flex-1 overflow-auto rounded-lg border bg-card outline-none md:mx-6"
        role="table"
        aria-label={title}
        aria-rowcount={total ?? rows.length}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        data-testid="list-body"
      >
        <div className="min-w-[640px]">
          <div
            role="row"
            className="sticky top-0 z-10 grid h-9 items-center border-b bg-muted px-3 text-xs font-medium text-muted-foreground"
            style={grid}
          >
            <div role="columnheader" className="flex items-center px-1">
              <input
                type="checkbox"
                aria-label={t('lists.selectAll')}
                className="size-3.5 accent-[var(--primary)]"
                checked={allSelected}
                ref={(el) => {
                  if (el) el.indeterminate = selectedRows.length > 0 && !allSelected
                }}
                onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
              />
            </div>
            {shown.map((c) => {
              const dir = sort === c.sort ? 'asc' : sort === `-${c.sort}` ? 'desc' : null
              return (
                <div
                  key={c.key}
                  role="columnheader"
                  aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                  className={cn('flex min-w-0 items-center px-2', c.hideBelow && HIDE[c.hideBelow], c.className)}
                >
                  {c.sort ? (
                    <button
                      type="button"
                      className="-mx-1 flex items-center gap-1 rounded px-1 py-0.5 hover:bg-accent hover:text-foreground"
                      onClick={() => {
                        const next = new URLSearchParams(params)
                        const s = nextSort(sort, c.sort!)
                        if (s) next.set('sort', s)
                        else next.delete('sort')
                        setParams(next)
                      }}
                    >
                      {c.label}
                      {dir === 'asc' ? (
                        <ArrowUp className="size-3" />
                      ) : dir === 'desc' ? (
                        <ArrowDown className="size-3" />
                      ) : (
                        <ChevronsUpDown className="size-3 opacity-40" />
                      )}
                    </button>
                  ) : (
                    c.label
                  )}
                </div>
              )
            })}
          </div>
          {list.isPending ? (
            <div className="space-y-2 p-3">
              {Array.from({ length: 8 }, (_, i) => (
                <Skeleton key={i} className="h-7 w-full" />
              ))}
            </div>
          ) : list.isError ? (
            <div className="p-8 text-center text-sm text-destructive" role="alert">
              {errorText(list.error)}
            </div>
          ) : rows.length === 0 ? (
            <div className="sticky left-0 flex max-w-[100vw] flex-col items-center justify-center gap-2 px-6 py-16 text-center">
              <SearchX className="size-8 text-muted-foreground" />
              <p className="font-medium">{params.toString() ? t('lists.noMatches') : empty.title}</p>
              <p className="max-w-sm text-sm text-muted-foreground">{params.toString() ? t('lists.noMatchesBody') : empty.body}</p>
              {!params.toString() && empty.action && <div className="mt-2">{empty.action}</div>}
            </div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => (
                <ListRow
                  key={rows[item.index].id}
                  row={rows[item.index]}
                  index={item.index}
                  top={item.start - HEADER}
                  height={ROW}
                  gridTemplate={gridTemplate}
                  columns={shown}
                  active={focused && item.index === focus}
                  selected={selected.has(rows[item.index].id)}
                  clickable={!!rowHref}
                  selectLabel={t('lists.selectRow')}
                  onOpen={openRow}
                  onToggle={toggle}
                />
              ))}
            </div>
          )}
        </div>
      </div>
    </div>
  )
}
