import { describe, expect, it } from 'vitest'
import { apiValue, displayValue, operatorsFor } from './filterFields'
import { apiQuery, filtersFrom, tagsFrom, withTags } from './listQuery'

describe('filters that fit the field', () => {
  it('offers operators by type, and "is empty" only where a field may be empty', () => {
    expect(operatorsFor('text')).toEqual(['contains', 'eq', 'neq', 'starts_with', 'is_null'])
    expect(operatorsFor('ref', false)).toEqual(['eq', 'neq'])
    expect(operatorsFor('number')).toContain('gte')
    expect(operatorsFor('text')).not.toContain('gte')
    expect(operatorsFor('timestamp', false)).toEqual(['gte', 'lte', 'gt', 'lt'])
    expect(operatorsFor('choices')).toEqual(['contains', 'is_null'])
  })

  it('turns a day into the instant that bounds it in the user’s time zone', () => {
    const sp = 'America/Sao_Paulo'
    expect(apiValue('timestamp', 'gte', '2026-03-01', sp)).toBe('2026-03-01T03:00:00.000Z')
    expect(apiValue('timestamp', 'lte', '2026-03-01', sp)).toBe('2026-03-02T02:59:59.999Z')
    expect(apiValue('date', 'lte', '2026-03-01', sp)).toBe('2026-03-01')
    expect(apiValue('text', 'is_null', '', sp)).toBe('true')
    expect(displayValue('timestamp', '2026-03-01T03:00:00.000Z', sp)).toBe('2026-03-01')
  })

  it('reads custom-field filters and tags from the URL and asks the API with them', () => {
    let p = new URLSearchParams('custom_fields.budget[gte]=1000&company_id[eq]=c1')
    p = withTags(p, ['vip', ' hot ', 'vip'])
    expect(tagsFrom(p)).toEqual(['vip', 'hot'])
    expect(filtersFrom(p)).toEqual([
      { field: 'custom_fields.budget', op: 'gte', value: '1000' },
      { field: 'company_id', op: 'eq', value: 'c1' },
    ])
    expect(apiQuery(p)).toEqual({ tags: 'vip,hot', 'custom_fields.budget[gte]': '1000', 'company_id[eq]': 'c1' })
    expect(withTags(p, []).has('tags')).toBe(false)
  })
})
