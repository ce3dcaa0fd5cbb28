import { useTranslation } from 'react-i18next'
import { useCustomFieldsFor, type FieldEntity } from '@/api/hooks/customFields'
import { EditableField } from '@/pages/lead/EditableField'
import { displayValue, fromDraft, toDraft } from './customFieldValues'

type Values = Record<string, unknown>

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
        const display = displayValue(def, value, t, i18n.language)
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
