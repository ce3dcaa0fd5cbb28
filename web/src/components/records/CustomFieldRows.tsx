import { useTranslation } from 'react-i18next'
import { useCustomFieldsFor, type FieldDefinition, type FieldEntity } from '@/api/hooks/customFields'
import { EditableField } from '@/pages/lead/EditableField'
import { formatDate, formatNumber } from '@/lib/format'

type Values = Record<string, unknown>

/** The text an input edits for a stored value. */
export function toDraft(def: Pick<FieldDefinition, 'kind'>, value: unknown): string {
  if (value === null || value === undefined) return ''
  if (def.kind === 'multi_select' && Array.isArray(value)) return value.join(', ')
  if (def.kind === 'checkbox') return value ? 'true' : 'false'
  return String(value)
}

/** The JSON value to store for what was typed (null clears the field). */
export function fromDraft(def: Pick<FieldDefinition, 'kind'>, draft: string): unknown {
  const v = draft.trim()
  if (!v) return null
  switch (def.kind) {
    case 'number': {
      const n = Number(v.replace(',', '.'))
      return Number.isFinite(n) ? n : v
    }
    case 'checkbox':
      return v === 'true'
    case 'multi_select':
      return v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    default:
      return v
  }
}

/** One editable row per custom field of the record type, saved as a merge patch of `custom_fields`. */
export function CustomFieldRows({
  entity,
  values,
  onSave,
}: {
  entity: FieldEntity
  values: Values | null | undefined
  onSave: (patch: { custom_fields: Values }) => Promise<unknown>
}) {
  const { t, i18n } = useTranslation()
  const defs = useCustomFieldsFor(entity).data ?? []
  if (defs.length === 0) return null
  return (
    <div className="mt-2 border-t pt-2" data-testid="custom-fields">
      {defs.map((def) => {
        const value = values?.[def.key]
        const draft = toDraft(def, value)
        const display =
          def.kind === 'checkbox'
            ? value
              ? t('common.yes')
              : t('common.no')
            : def.kind === 'date'
              ? formatDate(draft, i18n.language)
              : def.kind === 'number' && typeof value === 'number'
                ? formatNumber(value, i18n.language)
                : undefined
        const options =
          def.kind === 'select'
            ? [{ value: '', label: t('common.none') }, ...def.options.map((o) => ({ value: o, label: o }))]
            : def.kind === 'checkbox'
              ? [
                  { value: '', label: t('common.none') },
                  { value: 'true', label: t('common.yes') },
                  { value: 'false', label: t('common.no') },
                ]
              : undefined
        const type = def.kind === 'number' ? 'number' : def.kind === 'date' ? 'date' : def.kind === 'email' ? 'email' : 'text'
        return (
          <EditableField
            key={def.id}
            label={def.label}
            value={draft}
            display={display}
            type={type}
            options={options}
            onSave={(v) => onSave({ custom_fields: { [def.key]: fromDraft(def, v) } })}
          />
        )
      })}
    </div>
  )
}
