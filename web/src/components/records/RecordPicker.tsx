import { useState } from 'react'
import * as Popover from '@radix-ui/react-popover'
import { Command } from 'cmdk'
import { useTranslation } from 'react-i18next'
import { Check, ChevronsUpDown, Loader2, Search } from 'lucide-react'
import { useRecordName, useRecordSearch, type Named, type RecordKind } from '@/api/hooks/recordNames'
import { useDebounced } from '@/hooks/useDebounced'
import { cn } from '@/lib/utils'

interface Props {
  kind: RecordKind
  /** The chosen record's id, or `''` for none. */
  value: string
  onChange: (id: string, record: Named | null) => void
  /** Set by `Field` so its label names the picker. */
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
  'aria-label'?: string
  /** Offer "None" to clear the choice. */
  clearable?: boolean
  /** `field`: looks like an input (forms); `inline`: like an editable detail (record pages). */
  look?: 'field' | 'inline'
  /** What the button says while nothing is chosen (default: None). */
  placeholder?: string
  className?: string
}

/**
 * Pick a company, contact, project or lead among any number of them: what is
 * typed is searched by the server (`?q=`, debounced), and the chosen record's
 * name is shown even when it is not among the results (fetched by id).
 */
export function RecordPicker({ kind, value, onChange, clearable = true, look = 'field', placeholder, className, ...aria }: Props) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const term = useDebounced(query.trim(), 200)
  const results = useRecordSearch(kind, term, open)
  const selected = useRecordName(kind, value || null)
  const label = !value ? '' : selected.data ? selected.data.name : selected.isPending ? '…' : t('pickers.unavailable')

  const choose = (id: string, record: Named | null) => {
    onChange(id, record)
    setOpen(false)
  }

  return (
    <Popover.Root
      modal
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) setQuery('')
      }}
    >
      <Popover.Trigger asChild>
        <button
          type="button"
          role="combobox"
          aria-expanded={open}
          aria-haspopup="listbox"
          data-testid={`picker-${kind}`}
          {...aria}
          className={cn(
            look === 'field'
              ? 'flex h-9 w-full items-center gap-2 rounded-md border border-input bg-card px-3 text-left text-sm shadow-xs hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring aria-[invalid=true]:border-destructive'
              : 'group flex min-h-8 min-w-0 items-center gap-2 rounded-md px-2 py-1 text-left text-[13px] hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring',
            className,
          )}
        >
          <span className={cn('min-w-0 flex-1 truncate', !value && 'text-muted-foreground')}>
            {value ? label : (placeholder ?? (look === 'inline' ? t('lead.empty') : t('common.none')))}
          </span>
          <ChevronsUpDown
            className={cn('size-3.5 shrink-0 text-muted-foreground', look === 'inline' && 'opacity-0 group-hover:opacity-60')}
          />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          className="z-50 w-[var(--radix-popover-trigger-width)] min-w-64 overflow-hidden rounded-lg border bg-popover text-popover-foreground shadow-lg"
        >
          <Command shouldFilter={false} label={t(`pickers.search.${kind}`)}>
            <div className="flex items-center gap-2 border-b px-3">
              <Search className="size-4 shrink-0 text-muted-foreground" />
              <Command.Input
                autoFocus
                value={query}
                onValueChange={setQuery}
                placeholder={t(`pickers.search.${kind}`)}
                className="h-10 min-w-0 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
              />
              {results.isFetching && <Loader2 className="size-4 shrink-0 animate-spin text-muted-foreground" />}
            </div>
            <Command.List className="max-h-64 overflow-y-auto p-1">
              {!results.isFetching && (
                <Command.Empty className="py-6 text-center text-sm text-muted-foreground">{t('pickers.noResults')}</Command.Empty>
              )}
              {clearable && value && !term && (
                <Command.Item value="__none__" onSelect={() => choose('', null)} className={ITEM}>
                  <Check className="size-3.5 shrink-0 opacity-0" />
                  <span className="text-muted-foreground">{t('common.none')}</span>
                </Command.Item>
              )}
              {results.data?.map((r) => (
                <Command.Item key={r.id} value={r.id} onSelect={() => choose(r.id, r)} className={ITEM}>
                  <Check className={cn('size-3.5 shrink-0', r.id === value ? 'opacity-100' : 'opacity-0')} />
                  <span className="min-w-0 flex-1 truncate">{r.name}</span>
                  {r.hint && <span className="max-w-[45%] shrink-0 truncate text-xs text-muted-foreground">{r.hint}</span>}
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

const ITEM = 'flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-[13px] data-[selected=true]:bg-accent'
