import { afterEach, describe, expect, it } from 'vitest'
import i18n from '@/i18n'
import { keyFromLabel } from '@/api/hooks/customFields'
import { setDisplayTimeZone } from '@/lib/format'
import { customFieldsBody, displayValue, fromDraft, missingRequired, toDraft } from './customFieldValues'

describe('custom field values', () => {
  afterEach(() => setDisplayTimeZone(null))

  it('turns what was typed into the JSON the API validates', () => {
    expect(fromDraft({ kind: 'number' }, '1500,50')).toBe(1500.5)
    expect(fromDraft({ kind: 'number' }, ' ')).toBeNull()
    expect(fromDraft({ kind: 'checkbox' }, 'true')).toBe(true)
    expect(fromDraft({ kind: 'checkbox' }, 'false')).toBe(false)
    expect(fromDraft({ kind: 'multi_select' }, 'SEO, Ads ,,')).toEqual(['SEO', 'Ads'])
    expect(fromDraft({ kind: 'date' }, '2026-11-01')).toBe('2026-11-01')
    expect(fromDraft({ kind: 'text' }, '  hi ')).toBe('hi')
  })

  it('shows stored values back in the inputs', () => {
    expect(toDraft({ kind: 'multi_select' }, ['SEO', 'Ads'])).toBe('SEO, Ads')
    expect(toDraft({ kind: 'checkbox' }, false)).toBe('false')
    expect(toDraft({ kind: 'number' }, 12)).toBe('12')
    expect(toDraft({ kind: 'text' }, null)).toBe('')
  })

  it('shows a date field as its calendar day, even west of UTC', () => {
    setDisplayTimeZone('America/Sao_Paulo')
    expect(displayValue({ kind: 'date' }, '2026-03-01', i18n.t, 'en-US')).toBe('Mar 1, 2026')
    expect(displayValue({ kind: 'checkbox' }, true, i18n.t, 'en')).toBe('Yes')
    expect(displayValue({ kind: 'number' }, 1500.5, i18n.t, 'pt-BR')).toBe('1.500,5')
    expect(displayValue({ kind: 'text' }, 'x', i18n.t, 'en')).toBeUndefined()
  })

  it('builds the custom_fields of a new record and names the required ones left empty', () => {
    const defs = [
      { key: 'budget', kind: 'number', required: true },
      { key: 'signed', kind: 'checkbox', required: true },
      { key: 'notes', kind: 'text', required: false },
    ]
    expect(missingRequired(defs, { notes: 'x' })).toEqual(['custom_fields.budget'])
    expect(customFieldsBody(defs, { budget: '1200', notes: ' ' })).toEqual({ budget: 1200, signed: false })
  })

  it('suggests a key from the label', () => {
    expect(keyFromLabel('Orçamento mensal (R$)')).toBe('orcamento_mensal_r')
    expect(keyFromLabel('2nd contact')).toBe('nd_contact')
    expect(keyFromLabel('  Tipo de contrato ')).toBe('tipo_de_contrato')
  })
})
