import { useState } from 'react'
import { useRequiredCustomFields, type FieldEntity } from '@/api/hooks/customFields'
import { customFieldsBody, missingRequired } from './customFieldValues'

/** The required custom fields of a quick-add form: their drafts, the body to send and what is missing. */
export function useCustomFieldDrafts(entity: FieldEntity) {
  const defs = useRequiredCustomFields(entity)
  const [values, setValues] = useState<Record<string, string>>({})
  return {
    defs,
    values,
    set: (key: string, value: string) => setValues((v) => ({ ...v, [key]: value })),
    body: () => customFieldsBody(defs, values) as Record<string, never>,
    missing: () => missingRequired(defs, values),
    formFields: defs.map((d) => `custom_fields.${d.key}`),
    reset: () => setValues({}),
  }
}
