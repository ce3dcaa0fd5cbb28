import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ArrowDown, ArrowUp, ChevronsUpDown, Search, SearchX } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useCustomFieldsFor, type FieldDefinition, type FieldEntity } from '@/api/hooks/customFields'
import { useViews, type View } from '@/api/hooks/views'
import type { Page } from '@/api/types'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { apiQuery, filtersFrom, nextSort, tagsFrom, withFilter, withoutFilter, withTags } from '@/lib/listQuery'
import { hiddenFor, paramsForView, VIEW_PARAM, viewQuery } from '@/lib/views'
import type { FilterType } from '@/lib/filterFields'
import { formatNumber } from '@/lib/format'
import { cn } from '@/lib/utils'
import { AddFilter, FilterChip, TagFilter, type FilterField } from './FilterBar'
import { deleteRows, tagRows, type BulkRow } from './bulk'
import { BulkBar, ColumnChooser } from './ListControls'
import { ListRow } from './ListRow'
import { ViewsMenu } from './ViewsMenu'
import { BulkEditDialog, type BulkField } from './BulkEditDialog'
import { EditableCell, type CellEdit } from './EditableCell'
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
  /** The cell can be edited in place. */
  edit?: CellEdit<T>
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
  /** The record type: its custom fields are filterable and bulk-editable. */
  entity?: FieldEntity
  /** What "Edit" on selected rows can set. */
  bulkFields?: BulkField[]
  /** A row's name, for bulk results ("Acme rebrand: changed by someone else"). */
  rowName?: (row: T) => string
  /** The list without a saved view ("All leads"). */
  allLabel?: string
  /** Parameters the page keeps besides the list's own (the tasks page's `scope`). */
  keepParams?: string[]
}

const PAGE = 100
const ROW = 44
const HEADER = 36
const HIDE = { sm: 'hidden sm:flex', md: 'hidden md:flex', lg: 'hidden lg:flex' } as const

const CUSTOM_TYPES: Record<string, FilterType | null> = {
  text: 'text',
  url: 'text',
  email: 'text',
  number: 'number',
  date: 'date',
  checkbox: 'boolean',
  select: 'choice',
  multi_select: 'choices',
}

/** An organization's custom fields as filters (`custom_fields.budget[gte]=1000`). */
function customFilters(defs: FieldDefinition[]): FilterField[] {
  return defs.flatMap((d) => {
    const type = CUSTOM_TYPES[d.kind]
    if (!type) return []
    const options = d.kind === 'select' || d.kind === 'multi_select' ? (d.options ?? []).map((o) => ({ value: o, label: o })) : undefined
    return [{ field: `custom_fields.${d.key}`, label: d.label, type, options: type === 'choices' ? undefined : options }]
  })
}

/** An organization's custom fields as bulk edits (merged into each record's `custom_fields`). */
function customBulkFields(defs: FieldDefinition[], yes: string, no: string): BulkField[] {
  return defs.flatMap((d): BulkField[] => {
    const base = { key: `custom_fields.${d.key}`, label: d.label, clearable: !d.required }
    const value = (v: string): unknown => (v === '' ? null : d.kind === 'number' ? Number(v) : d.kind === 'checkbox' ? v === 'true' : v)
    const change = (v: string) => ({ kind: 'custom' as const, key: d.key, value: value(v) })
    if (d.kind === 'select') return [{ ...base, input: 'choice', options: (d.options ?? []).map((o) => ({ value: o, label: o })), change }]
    if (d.kind === 'checkbox')
      return [
        {
          ...base,
          input: 'choice',
          options: [
            { value: 'true', label: yes },
            { value: 'false', label: no },
          ],
          change,
        },
      ]
    if (d.kind === 'number') return [{ ...base, input: 'number', change }]
    if (d.kind === 'date') return [{ ...base, input: 'date', change }]
    if (d.kind === 'multi_select') return []
    return [{ ...base, input: 'text', change }]
  })
}

/**
 * A server-paged table: cursor pages as you scroll (only visible rows are in
 * the DOM), sorting by column header, filters with the API's operators, tags,
 * saved views, bulk edit and in-place editing, and every choice kept in the URL.
 */
export function ResourceList<T extends BulkRow>({
  resource,
  title,
  columns,
  filters,
  rowHref,
  actions,
  toolbar,
  empty,
  entity,
  bulkFields,
  rowName,
  allLabel,
  keepParams = [],
}: Props<T>) {
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
  const [editing, setEditing] = useState(false)
  const qc = useQueryClient()
  const customDefs = useCustomFieldsFor(entity ?? 'contact').data
  const defs = useMemo(() => (entity ? (customDefs ?? []) : []), [entity, customDefs])
  const allFilters = useMemo(() => [...filters, ...customFilters(defs)], [filters, defs])
  const allBulk = useMemo(
    () => (bulkFields ? [...bulkFields, ...customBulkFields(defs, t('common.yes'), t('common.no'))] : undefined),
    [bulkFields, defs, t],
  )
  const hiddenKey = `lovedcrm.columns.${resource}`
  const [hidden, setHiddenState] = useState<string[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(hiddenKey) ?? '[]') as string[]
    } catch {
      return []
    }
  })
  const setHidden = useCallback(
    (h: string[]) => {
      localStorage.setItem(hiddenKey, JSON.stringify(h))
      setHiddenState(h)
    },
    [hiddenKey],
  )
  const columnKeys = useMemo(() => columns.map((c) => c.key), [columns])

  // Type-ahead search: the URL follows the box after a short pause; the box follows the URL (a view opened).
  const urlText = params.get('q') ?? ''
  useEffect(() => setText(urlText), [urlText])
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

  // A view opened by its address (a link, a reload): its columns too, once it is known.
  const views = useViews(resource)
  const viewId = params.get(VIEW_PARAM)
  const appliedView = useRef<string | null>(null)
  useEffect(() => {
    if (!viewId || appliedView.current === viewId) return
    const v = views.data?.find((x) => x.id === viewId)
    if (!v) return
    appliedView.current = viewId
    setHidden(hiddenFor(columnKeys, v.columns))
  }, [viewId, views.data, columnKeys, setHidden])

  const kept = (next: URLSearchParams) => {
    for (const k of keepParams) if (params.has(k) && !next.has(k)) next.set(k, params.get(k)!)
    return next
  }
  const openView = (v: View) => {
    appliedView.current = v.id
    setHidden(hiddenFor(columnKeys, v.columns))
    setParams(kept(paramsForView(v)))
  }
  const resetView = () => {
    appliedView.current = null
    setHidden([])
    setParams(kept(new URLSearchParams()))
  }

  const list = useInfiniteQuery({
    queryKey: [org, 'list', resource, query],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET(`/api/v1/${resource}` as '/api/v1/leads', {
          params: {
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

  const shown = useMemo(
    () =>
      columns
        .filter((c, i) => i === 0 || !hidden.includes(c.key))
        .map((c) =>
          c.edit
            ? {
                ...c,
                render: (row: T) => (
                  <EditableCell row={row} edit={c.edit!} resource={resource}>
                    {c.render(row)}
                  </EditableCell>
                ),
              }
            : c,
        ),
    [columns, hidden, resource],
  )
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
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: [org, 'list', resource] })
    void qc.invalidateQueries({ queryKey: [org, 'board'] })
  }
  const bulk = async (run: () => Promise<{ ok: number; failed: number }>, done: string) => {
    setBulkBusy(true)
    const { ok, failed } = await run()
    setBulkBusy(false)
    setSelected(new Set())
    refresh()
    if (failed) toast.error(t('lists.bulkPartial', { ok, failed }))
    else toast.success(t(done, { count: ok }))
  }
  const sort = params.get('sort')
  const activeFilters = filtersFrom(params)
  const tags = tagsFrom(params)
  const filtered = viewQuery(params) !== ''
  const nameOf = (r: T) => rowName?.(r) ?? String((r as { name?: string; title?: string }).name ?? (r as { title?: string }).title ?? r.id)

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0 || (e.target as Element).closest('input,select,textarea')) return
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
        <ViewsMenu
          list={resource}
          allLabel={allLabel ?? title}
          params={params}
          columns={columnKeys}
          hidden={hidden}
          onOpen={openView}
          onReset={resetView}
          currentQuery={viewQuery(params)}
        />
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
        <AddFilter fields={allFilters} onAdd={(f) => setParams(withFilter(params, f))} />
        {resource !== 'projects' && <TagFilter tags={tags} onChange={(next) => setParams(withTags(params, next))} />}
        {activeFilters.map((f) => (
          <FilterChip key={`${f.field}-${f.op}`} filter={f} fields={allFilters} onRemove={() => setParams(withoutFilter(params, f))} />
        ))}
        <div className="ml-auto flex items-center gap-2">
          {selectedRows.length > 0 && (
            <BulkBar
              count={selectedRows.length}
              busy={bulkBusy}
              onEdit={allBulk && allBulk.length > 0 && resource !== 'projects' ? () => setEditing(true) : undefined}
              onTag={(tag) => bulk(() => tagRows(resource, selectedRows, tag), 'lists.tagged')}
              onDelete={() => bulk(() => deleteRows(resource, selectedRows), 'lists.deleted')}
              onClear={() => setSelected(new Set())}
            />
          )}
          <ColumnChooser columns={columns} hidden={hidden} onChange={setHidden} />
        </div>
      </div>
      {editing && allBulk && resource !== 'projects' && (
        <BulkEditDialog
          resource={resource}
          rows={selectedRows}
          names={new Map(selectedRows.map((r) => [r.id, nameOf(r)]))}
          fields={allBulk}
          onClose={(changed) => {
            setEditing(false)
            if (changed) {
              setSelected(new Set())
              refresh()
            }
          }}
        />
      )}

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
              <p className="font-medium">{filtered ? t('lists.noMatches') : empty.title}</p>
              <p className="max-w-sm text-sm text-muted-foreground">{filtered ? t('lists.noMatchesBody') : empty.body}</p>
              {!filtered && empty.action && <div className="mt-2">{empty.action}</div>}
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
                  href={rowHref?.(rows[item.index])}
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
