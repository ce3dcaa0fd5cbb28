import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import * as Popover from '@radix-ui/react-popover'
import { Columns3, Loader2, PencilLine, Tag, Trash2, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { ConfirmButton } from '@/components/ui/confirm'
import { Input } from '@/components/ui/input'

/** Show or hide the columns of a list (remembered per list on this browser). */
export function ColumnChooser({
  columns,
  hidden,
  onChange,
}: {
  columns: { key: string; label: string }[]
  hidden: string[]
  onChange: (hidden: string[]) => void
}) {
  const { t } = useTranslation()
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button variant="outline" size="sm" data-testid="column-chooser">
          <Columns3 />
          <span className="hidden sm:inline">{t('lists.columns')}</span>
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={6} className="z-50 w-56 rounded-lg border bg-popover p-1.5 shadow-lg">
          <fieldset>
            <legend className="px-2 py-1 text-xs font-medium text-muted-foreground">{t('lists.showColumns')}</legend>
            {columns.map((c, i) => (
              <label key={c.key} className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-[13px] hover:bg-accent">
                <input
                  type="checkbox"
                  className="size-3.5 accent-[var(--primary)]"
                  checked={!hidden.includes(c.key)}
                  disabled={i === 0}
                  onChange={(e) => onChange(e.target.checked ? hidden.filter((k) => k !== c.key) : [...hidden, c.key])}
                />
                {c.label}
              </label>
            ))}
          </fieldset>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

/** The bar shown while rows are selected: tag them, delete them, or clear the selection. */
export function BulkBar({
  count,
  busy,
  onEdit,
  onTag,
  onDelete,
  onClear,
}: {
  count: number
  busy: boolean
  /** Opens the bulk edit (owner, stage, fields), where the list has one. */
  onEdit?: () => void
  onTag: (tag: string) => void
  onDelete: () => void
  onClear: () => void
}) {
  const { t } = useTranslation()
  const [tag, setTag] = useState('')
  const [open, setOpen] = useState(false)
  return (
    <div
      role="toolbar"
      aria-label={t('lists.bulkActions')}
      className="flex h-8 items-center gap-1 rounded-md border border-primary/30 bg-primary/5 pl-2.5 pr-1 text-[13px]"
      data-testid="bulk-bar"
    >
      <span className="font-medium">{t('lists.selected', { count })}</span>
      {busy && <Loader2 className="size-3.5 animate-spin" />}
      {onEdit && (
        <Button variant="ghost" size="sm" className="h-6 px-2" disabled={busy} onClick={onEdit} data-testid="bulk-edit">
          <PencilLine />
          {t('bulk.edit')}
        </Button>
      )}
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger asChild>
          <Button variant="ghost" size="sm" className="h-6 px-2" disabled={busy}>
            <Tag />
            {t('lists.addTag')}
          </Button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content sideOffset={6} className="z-50 w-60 rounded-lg border bg-popover p-2 shadow-lg">
            <form
              className="flex gap-2"
              onSubmit={(e) => {
                e.preventDefault()
                if (!tag.trim()) return
                onTag(tag.trim())
                setTag('')
                setOpen(false)
              }}
            >
              <Input
                autoFocus
                aria-label={t('lists.tagName')}
                placeholder={t('lists.tagName')}
                value={tag}
                onChange={(e) => setTag(e.target.value)}
                className="h-8 text-[13px]"
              />
              <Button type="submit" size="sm">
                {t('lists.applyTag')}
              </Button>
            </form>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      <ConfirmButton
        variant="ghost"
        size="sm"
        className="h-6 px-2 text-destructive hover:text-destructive"
        disabled={busy}
        title={t('lists.deleteTitle', { count })}
        body={t('lists.confirmDelete', { count })}
        confirmLabel={t('lists.delete')}
        onConfirm={onDelete}
      >
        <Trash2 />
        {t('lists.delete')}
      </ConfirmButton>
      <button
        type="button"
        onClick={onClear}
        aria-label={t('lists.clearSelection')}
        className="rounded p-1 text-muted-foreground hover:bg-accent hover:text-foreground"
      >
        <X className="size-3.5" />
      </button>
    </div>
  )
}
