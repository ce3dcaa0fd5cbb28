import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import * as Popover from '@radix-ui/react-popover'
import { ListFilter, Tag, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useRecordName, type RecordKind } from '@/api/hooks/recordNames'
import { RecordPicker } from '@/components/records/RecordPicker'
import { TagPicker } from '@/components/tags/TagPicker'
import { apiValue, displayValue, operatorsFor, type FilterType } from '@/lib/filterFields'
import { displayTimeZoneOf, formatDateOnly } from '@/lib/format'
import type { Filter, Operator } from '@/lib/listQuery'
import { cn } from '@/lib/utils'

export interface FilterField {
  field: string
  label: string
  /** What kind of value it holds: decides the operators offered and the value input. Text by default. */
  type?: FilterType
  /** Whether records may lack it ("is empty" is offered). True unless said otherwise. */
  nullable?: boolean
  /** Allowed values, for choices (and members). */
  options?: { value: string; label: string }[]
  /** The field links another record: its value is picked by searching those records. */
  picker?: RecordKind
}

const typeOf = (f: FilterField | undefined): FilterType => f?.type ?? (f?.picker ? 'ref' : f?.options ? 'choice' : 'text')

export function AddFilter({ fields, onAdd }: { fields: FilterField[]; onAdd: (f: Filter) => void }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [field, setField] = useState(fields[0]?.field ?? '')
  const def = fields.find((f) => f.field === field) ?? fields[0]
  const type = typeOf(def)
  const ops = operatorsFor(type, def?.nullable ?? true)
  const [op, setOp] = useState<Operator>(ops[0])
  const [value, setValue] = useState('')
  const operator = ops.includes(op) ? op : ops[0]

  const valueInput = () => {
    if (operator === 'is_null')
      return (
        <NativeSelect id="filter-value" value={value || 'true'} onChange={(e) => setValue(e.target.value)}>
          <option value="true">{t('common.yes')}</option>
          <option value="false">{t('common.no')}</option>
        </NativeSelect>
      )
    if (def?.picker)
      return <RecordPicker id="filter-value" kind={def.picker} clearable={false} value={value} onChange={(id) => setValue(id)} />
    if (type === 'boolean')
      return (
        <NativeSelect id="filter-value" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="" />
          <option value="true">{t('common.yes')}</option>
          <option value="false">{t('common.no')}</option>
        </NativeSelect>
      )
    if (def?.options && operator === 'in')
      return (
        <div id="filter-value" role="group" className="grid max-h-48 gap-1 overflow-y-auto rounded-md border p-2">
          {def.options.map((o) => {
            const chosen = value.split(',').filter(Boolean)
            return (
              <label key={o.value} className="flex items-center gap-2 text-[13px]">
                <input
                  type="checkbox"
                  className="size-3.5 accent-[var(--primary)]"
                  checked={chosen.includes(o.value)}
                  onChange={(e) => setValue((e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value)).join(','))}
                />
                {o.label}
              </label>
            )
          })}
        </div>
      )
    if (def?.options)
      return (
        <NativeSelect id="filter-value" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="" />
          {def.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </NativeSelect>
      )
    return (
      <Input
        id="filter-value"
        type={type === 'number' ? 'number' : type === 'date' || type === 'timestamp' ? 'date' : 'text'}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
    )
  }

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button variant="outline" size="sm" data-testid="add-filter">
          <ListFilter />
          {t('lists.filter')}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={6} className="z-50 w-72 rounded-lg border bg-popover p-3 shadow-lg">
          <form
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault()
              onAdd({ field: def.field, op: operator, value: apiValue(type, operator, value, displayTimeZoneOf()) })
              setValue('')
              setOpen(false)
            }}
          >
            <div className="grid gap-1.5">
              <Label htmlFor="filter-field">{t('lists.field')}</Label>
              <NativeSelect
                id="filter-field"
                value={def?.field}
                onChange={(e) => {
                  setField(e.target.value)
                  setValue('')
                }}
              >
                {fields.map((f) => (
                  <option key={f.field} value={f.field}>
                    {f.label}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-op">{t('lists.operator')}</Label>
              <NativeSelect id="filter-op" value={operator} onChange={(e) => setOp(e.target.value as Operator)}>
                {ops.map((o) => (
                  <option key={o} value={o}>
                    {t(type === 'date' || type === 'timestamp' ? `operators.dates.${o}` : `operators.${o}`)}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-value">{t('lists.value')}</Label>
              {valueInput()}
            </div>
            <Button type="submit" size="sm" disabled={operator !== 'is_null' && !value}>
              {t('lists.apply')}
            </Button>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

export function FilterChip({ filter, fields, onRemove }: { filter: Filter; fields: FilterField[]; onRemove: () => void }) {
  const { t, i18n } = useTranslation()
  const def = fields.find((f) => f.field === filter.field)
  const type = typeOf(def)
  const linked = useRecordName(def?.picker ?? 'companies', def?.picker && !filter.value.includes(',') ? filter.value : null)
  const shown =
    filter.op === 'is_null'
      ? t(filter.value === 'false' ? 'common.no' : 'common.yes')
      : type === 'boolean'
        ? t(filter.value === 'true' ? 'common.yes' : 'common.no')
        : filter.op === 'in' && def?.options
          ? filter.value
              .split(',')
              .map((v) => def.options!.find((o) => o.value === v)?.label ?? v)
              .join(', ')
          : (def?.options?.find((o) => o.value === filter.value)?.label ??
            linked.data?.name ??
            (type === 'date' || type === 'timestamp'
              ? formatDateOnly(displayValue(type, filter.value, displayTimeZoneOf()), i18n.language)
              : filter.value))
  return (
    <span
      className="inline-flex h-8 items-center gap-1 rounded-md border bg-card pl-2.5 pr-1 text-[13px] shadow-xs"
      data-testid="filter-chip"
    >
      <span className="font-medium">{def?.label ?? filter.field}</span>
      <span className="text-muted-foreground">
        {t(type === 'date' || type === 'timestamp' ? `operators.dates.${filter.op}` : `operators.${filter.op}`)}
      </span>
      <span className="max-w-[10rem] truncate">{shown}</span>
      <button
        type="button"
        onClick={onRemove}
        className="ml-0.5 rounded p-0.5 text-muted-foreground hover:bg-accent hover:text-foreground"
        aria-label={t('lists.removeFilter')}
      >
        <X className="size-3.5" />
      </button>
    </span>
  )
}

/** Records with any of the chosen tags (`tags=a,b`). */
export function TagFilter({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const { t } = useTranslation()
  return (
    <TagPicker value={tags} onChange={onChange} label={t('boardFilters.tags')}>
      <Button variant="outline" size="sm" data-testid="tag-filter" className={cn(tags.length > 0 && 'border-primary/50 bg-primary/10')}>
        <Tag />
        {tags.length ? t('boardFilters.tagsCount', { count: tags.length, list: tags.join(', ') }) : t('boardFilters.tags')}
      </Button>
    </TagPicker>
  )
}
