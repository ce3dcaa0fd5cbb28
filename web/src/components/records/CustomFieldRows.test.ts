import { describe, expect, it } from 'vitest'
import { keyFromLabel } from '@/api/hooks/customFields'
import { fromDraft, toDraft } from './CustomFieldRows'

describe('custom field values', () => {
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

  it('suggests a key from the label', () => {
    expect(keyFromLabel('Orçamento mensal (R$)')).toBe('orcamento_mensal_r')
    expect(keyFromLabel('2nd contact')).toBe('nd_contact')
    expect(keyFromLabel('  Tipo de contrato ')).toBe('tipo_de_contrato')
  })
})
