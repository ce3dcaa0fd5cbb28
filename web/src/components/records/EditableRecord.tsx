import { useTranslation } from 'react-i18next'
import type { Named, RecordKind } from '@/api/hooks/recordNames'
import { RecordPicker } from './RecordPicker'

/** A detail row linking another record (a contact's company), changed with a searchable picker. */
export function EditableRecord({
  label,
  kind,
  value,
  onSave,
}: {
  label: string
  kind: RecordKind
  value: string | null | undefined
  onSave: (id: string | null, record: Named | null) => Promise<unknown>
}) {
  const { t } = useTranslation()
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-center gap-2 py-1">
      <span className="text-xs text-muted-foreground">{label}</span>
      <RecordPicker
        kind={kind}
        look="inline"
        value={value ?? ''}
        aria-label={t('lead.edit', { field: label })}
        onChange={(id, record) => {
          if (id !== (value ?? '')) void onSave(id || null, record).catch(() => undefined)
        }}
      />
    </div>
  )
}
