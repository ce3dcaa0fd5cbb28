import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import * as Popover from '@radix-ui/react-popover'
import { ListFilter, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useRecordName, type RecordKind } from '@/api/hooks/recordNames'
import { RecordPicker } from '@/components/records/RecordPicker'
import { OPERATORS, type Filter, type Operator } from '@/lib/listQuery'

export interface FilterField {
  field: string
  label: string
  /** Allowed values, for enumerations. */
  options?: { value: string; label: string }[]
  /** The field links another record: its value is picked by searching those records. */
  picker?: RecordKind
}

export function AddFilter({ fields, onAdd }: { fields: FilterField[]; onAdd: (f: Filter) => void }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [field, setField] = useState(fields[0]?.field ?? '')
  const [op, setOp] = useState<Operator>('eq')
  const [value, setValue] = useState('')
  const def = fields.find((f) => f.field === field)

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
              onAdd({ field, op, value: op === 'is_null' ? value || 'true' : value })
              setValue('')
              setOpen(false)
            }}
          >
            <div className="grid gap-1.5">
              <Label htmlFor="filter-field">{t('lists.field')}</Label>
              <NativeSelect
                id="filter-field"
                value={field}
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
              <NativeSelect id="filter-op" value={op} onChange={(e) => setOp(e.target.value as Operator)}>
                {OPERATORS.map((o) => (
                  <option key={o} value={o}>
                    {t(`operators.${o}`)}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-value">{t('lists.value')}</Label>
              {op === 'is_null' ? (
                <NativeSelect id="filter-value" value={value || 'true'} onChange={(e) => setValue(e.target.value)}>
                  <option value="true">{t('common.yes')}</option>
                  <option value="false">{t('common.no')}</option>
                </NativeSelect>
              ) : def?.picker && (op === 'eq' || op === 'neq') ? (
                <RecordPicker id="filter-value" kind={def.picker} clearable={false} value={value} onChange={(id) => setValue(id)} />
              ) : def?.options ? (
                <NativeSelect id="filter-value" value={value} onChange={(e) => setValue(e.target.value)}>
                  <option value="" />
                  {def.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </NativeSelect>
              ) : (
                <Input id="filter-value" value={value} onChange={(e) => setValue(e.target.value)} />
              )}
            </div>
            <Button type="submit" size="sm" disabled={op !== 'is_null' && !value}>
              {t('lists.apply')}
            </Button>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

export function FilterChip({ filter, fields, onRemove }: { filter: Filter; fields: FilterField[]; onRemove: () => void }) {
  const { t } = useTranslation()
  const def = fields.find((f) => f.field === filter.field)
  const linked = useRecordName(def?.picker ?? 'companies', def?.picker && !filter.value.includes(',') ? filter.value : null)
  const value = def?.options?.find((o) => o.value === filter.value)?.label ?? linked.data?.name ?? filter.value
  return (
    <span className="inline-flex h-8 items-center gap-1 rounded-md border bg-card pl-2.5 pr-1 text-[13px] shadow-xs">
      <span className="font-medium">{def?.label ?? filter.field}</span>
      <span className="text-muted-foreground">{t(`operators.${filter.op}`)}</span>
      <span className="max-w-[10rem] truncate">{value}</span>
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
