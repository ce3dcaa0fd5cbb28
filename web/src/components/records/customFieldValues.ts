/** Custom field values between the API's JSON and what inputs edit (tested in CustomFieldRows.test.ts). */
import type { TFunction } from 'i18next'
import type { FieldDefinition } from '@/api/hooks/customFields'
import { formatDateOnly, formatNumber } from '@/lib/format'

type Def = Pick<FieldDefinition, 'kind'>

/** The text an input edits for a stored value. */
export function toDraft(def: Def, value: unknown): string {
  if (value === null || value === undefined) return ''
  if (def.kind === 'multi_select' && Array.isArray(value)) return value.join(', ')
  if (def.kind === 'checkbox') return value ? 'true' : 'false'
  return String(value)
}

/** The JSON value to store for what was typed (null clears the field). */
export function fromDraft(def: Def, draft: string): unknown {
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

/** How a stored value reads on a record page; `undefined` when the value itself reads fine. */
export function displayValue(def: Def, value: unknown, t: TFunction, locale: string): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  switch (def.kind) {
    case 'checkbox':
      return value ? t('common.yes') : t('common.no')
    // A calendar day: never shifted by the viewer's time zone.
    case 'date':
      return typeof value === 'string' ? formatDateOnly(value, locale) : undefined
    case 'number':
      return typeof value === 'number' ? formatNumber(value, locale) : undefined
    default:
      return undefined
  }
}

/** The `custom_fields` object to create a record with: what was filled in, and `false` for untouched required checkboxes. */
export function customFieldsBody(
  defs: Pick<FieldDefinition, 'key' | 'kind' | 'required'>[],
  drafts: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const def of defs) {
    const draft = drafts[def.key] ?? ''
    const value = def.kind === 'checkbox' && !draft && def.required ? false : fromDraft(def, draft)
    if (value !== null) out[def.key] = value
  }
  return out
}

/** The required fields left empty, as `custom_fields.<key>` (how the API names them in its errors). */
export function missingRequired(defs: Pick<FieldDefinition, 'key' | 'kind' | 'required'>[], drafts: Record<string, string>): string[] {
  return defs
    .filter((d) => d.required && d.kind !== 'checkbox' && fromDraft(d, drafts[d.key] ?? '') === null)
    .map((d) => `custom_fields.${d.key}`)
}
