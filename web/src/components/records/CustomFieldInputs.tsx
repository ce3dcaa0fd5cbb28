import { useId } from 'react'
import type { FieldDefinition } from '@/api/hooks/customFields'
import { Field } from '@/components/forms/Field'
import { Input, NativeSelect } from '@/components/ui/input'
import { useTranslation } from 'react-i18next'

/**
 * Inputs for custom fields in a create form. Values are drafts (strings, as
 * `fromDraft` reads them); errors are keyed `custom_fields.<key>` like the API's.
 */
export function CustomFieldInputs({
  defs,
  values,
  onChange,
  errors,
}: {
  defs: FieldDefinition[]
  values: Record<string, string>
  onChange: (key: string, value: string) => void
  errors: Record<string, string>
}) {
  if (defs.length === 0) return null
  return (
    <div className="grid gap-4 sm:grid-cols-2" data-testid="custom-field-inputs">
      {defs.map((def) => (
        <CustomFieldInput
          key={def.id}
          def={def}
          value={values[def.key] ?? ''}
          error={errors[`custom_fields.${def.key}`]}
          onChange={(v) => onChange(def.key, v)}
        />
      ))}
    </div>
  )
}

function CustomFieldInput({
  def,
  value,
  error,
  onChange,
}: {
  def: FieldDefinition
  value: string
  error?: string
  onChange: (value: string) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const name = `custom_fields.${def.key}`
  if (def.kind === 'checkbox') {
    return (
      <label className="flex items-center gap-2 self-end pb-2 text-sm">
        <input
          type="checkbox"
          name={name}
          className="size-4 accent-[var(--primary)]"
          checked={value === 'true'}
          onChange={(e) => onChange(e.target.checked ? 'true' : 'false')}
        />
        {def.label}
      </label>
    )
  }
  if (def.kind === 'multi_select') {
    const chosen = value ? value.split(',').map((s) => s.trim()) : []
    const errId = `${id}-error`
    return (
      <fieldset className="grid gap-1.5 sm:col-span-2" aria-describedby={error ? errId : undefined}>
        <legend className="mb-1.5 text-sm font-medium">{def.label}</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1.5">
          {def.options.map((o) => (
            <label key={o} className="flex items-center gap-1.5 text-[13px]">
              <input
                type="checkbox"
                className="size-3.5 accent-[var(--primary)]"
                checked={chosen.includes(o)}
                onChange={(e) => onChange((e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o)).join(', '))}
              />
              {o}
            </label>
          ))}
        </div>
        {error && (
          <p id={errId} role="alert" className="text-xs text-destructive">
            {error}
          </p>
        )}
      </fieldset>
    )
  }
  return (
    <Field label={def.label} error={error}>
      {def.kind === 'select' ? (
        <NativeSelect name={name} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('common.none')}</option>
          {def.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </NativeSelect>
      ) : (
        <Input
          name={name}
          type={def.kind === 'date' ? 'date' : def.kind === 'email' ? 'email' : def.kind === 'url' ? 'url' : 'text'}
          inputMode={def.kind === 'number' ? 'decimal' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  )
}
