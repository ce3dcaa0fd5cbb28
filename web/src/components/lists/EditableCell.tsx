import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Pencil } from 'lucide-react'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { toastError } from '@/api/errors'
import { versionedEdit } from '@/api/versioned'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Page } from '@/api/types'
import { Input, NativeSelect } from '@/components/ui/input'
import { cn } from '@/lib/utils'
import type { BulkResource, BulkRow } from './bulk'

/** How a column's cell is edited in place. */
export interface CellEdit<T> {
  /** Names the input for screen readers ("Owner of Acme rebrand"). */
  label: (row: T) => string
  /** The value as the input shows it. */
  value: (row: T) => string
  input: 'text' | 'email' | 'tel' | 'number' | 'select'
  options?: { value: string; label: string }[]
  /** The PATCH body for a new value. */
  patch: (value: string, row: T) => Record<string, unknown>
}

/** PATCHes one row with If-Match and puts the saved record into the loaded pages at once. */
function usePatchRow(resource: BulkResource) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  return useMutation({
    mutationFn: ({ row, body }: { row: BulkRow; body: Record<string, unknown> }) =>
      versionedEdit(row.id, row.version, async (version) =>
        unwrap(
          await api.PATCH(`/api/v1/${resource}/{id}` as '/api/v1/contacts/{id}', {
            params: { header: { 'If-Match': `"${version}"` }, path: { id: row.id } },
            body,
          }),
        ),
      ) as unknown as Promise<BulkRow>,
    onSuccess: (saved) => {
      qc.setQueriesData<InfiniteData<Page<BulkRow>>>({ queryKey: [org, 'list', resource] }, (data) =>
        data
          ? { ...data, pages: data.pages.map((p) => ({ ...p, data: p.data.map((r) => (r.id === saved.id ? { ...r, ...saved } : r)) })) }
          : data,
      )
      void qc.invalidateQueries({ queryKey: [org, 'list', resource] })
      if (resource === 'leads') void qc.invalidateQueries({ queryKey: [org, 'board'] })
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 412) toast.error(t('errors.conflictTitle'), { description: t('errors.conflictBody') })
      else toastError(e, t('lead.saveFailed'))
      void qc.invalidateQueries({ queryKey: [org, 'list', resource] })
    },
  })
}

/**
 * A list cell that turns into an input: double-click it (or its pencil, or
 * Enter on the pencil), then Enter or leaving saves and Escape cancels.
 */
export function EditableCell<T extends BulkRow>({
  row,
  edit,
  resource,
  children,
}: {
  row: T
  edit: CellEdit<T>
  resource: BulkResource
  children: ReactNode
}) {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState('')
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null)
  const save = usePatchRow(resource)
  const label = edit.label(row)

  useEffect(() => {
    if (editing) ref.current?.focus()
  }, [editing])

  const start = () => {
    setDraft(edit.value(row))
    setEditing(true)
  }
  const commit = (value = draft) => {
    setEditing(false)
    if (value !== edit.value(row)) save.mutate({ row, body: edit.patch(value, row) })
  }
  const keys = (e: React.KeyboardEvent) => {
    e.stopPropagation()
    if (e.key === 'Enter') {
      e.preventDefault()
      commit()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      setEditing(false)
    }
  }

  if (editing) {
    return edit.input === 'select' ? (
      <NativeSelect
        ref={ref}
        aria-label={label}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value)
          commit(e.target.value)
        }}
        onBlur={() => setEditing(false)}
        onKeyDown={keys}
        onClick={(e) => e.stopPropagation()}
        className="h-7 w-full min-w-0 px-1.5 pr-6 text-[13px]"
      >
        {edit.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
    ) : (
      <Input
        ref={ref}
        aria-label={label}
        type={edit.input}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => commit()}
        onKeyDown={keys}
        onClick={(e) => e.stopPropagation()}
        className="h-7 min-w-0 px-1.5 text-[13px]"
      />
    )
  }
  return (
    <div
      className={cn('group/cell flex h-full min-w-0 flex-1 items-center gap-1', save.isPending && 'opacity-60')}
      onDoubleClick={(e) => {
        e.stopPropagation()
        start()
      }}
      data-testid="editable-cell"
    >
      <div className="flex min-w-0 flex-1 items-center">{children}</div>
      <button
        type="button"
        aria-label={t('lead.edit', { field: label })}
        onClick={(e) => {
          e.stopPropagation()
          start()
        }}
        className="shrink-0 rounded p-0.5 text-muted-foreground opacity-0 hover:bg-background hover:text-foreground focus-visible:opacity-100 group-hover/cell:opacity-100"
      >
        <Pencil className="size-3" />
      </button>
    </div>
  )
}
