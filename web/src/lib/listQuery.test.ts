import { describe, expect, it } from 'vitest'
import { apiQuery, filtersFrom, nextSort, withFilter, withoutFilter } from './listQuery'

describe('list state in the URL', () => {
  it('passes search, sort and API-style filters through, and nothing else', () => {
    const params = new URLSearchParams('q=ana&sort=-created_at&status[eq]=open&estimated_value[gte]=1000&junk=1&x[bogus]=2')
    expect(apiQuery(params)).toEqual({ q: 'ana', sort: '-created_at', 'status[eq]': 'open', 'estimated_value[gte]': '1000' })
    expect(filtersFrom(params)).toEqual([
      { field: 'status', op: 'eq', value: 'open' },
      { field: 'estimated_value', op: 'gte', value: '1000' },
    ])
  })

  it('adds and removes filters', () => {
    const p = withFilter(new URLSearchParams(), { field: 'source', op: 'in', value: 'web,ads' })
    expect(p.get('source[in]')).toBe('web,ads')
    expect(withoutFilter(p, { field: 'source', op: 'in' }).toString()).toBe('')
  })

  it('cycles a column through ascending, descending and default', () => {
    expect(nextSort(null, 'name')).toBe('name')
    expect(nextSort('name', 'name')).toBe('-name')
    expect(nextSort('-name', 'name')).toBeNull()
    expect(nextSort('-created_at', 'name')).toBe('name')
  })
})
