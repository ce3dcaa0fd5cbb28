import { describe, expect, it } from 'vitest'
import { groupViews, hiddenFor, isModified, mayChange, paramsForView, sameQuery, shownColumns, viewQuery, type SavedView } from './views'

const view = (over: Partial<SavedView> = {}): SavedView => ({
  id: 'v1',
  name: 'Hot deals',
  entity_type: 'leads',
  query: 'tags=hot&sort=-estimated_value&status[eq]=open',
  columns: ['title', 'value', 'owner'],
  shared: false,
  created_by: 'me',
  version: 1,
  ...over,
})
const ALL = ['title', 'company', 'stage', 'value', 'owner', 'status']

describe('saved views', () => {
  it('keeps only what the list API reads: search, sort, tags and filters, custom fields included', () => {
    const params = new URLSearchParams(
      'view=v1&q=acme&sort=-created_at&tags=vip&status[eq]=open&custom_fields.budget[gte]=1000&scope=everyone&cursor=x&junk[bogus]=1',
    )
    expect(viewQuery(params)).toBe('q=acme&sort=-created_at&tags=vip&status%5Beq%5D=open&custom_fields.budget%5Bgte%5D=1000')
  })

  it('compares queries whatever their order', () => {
    expect(sameQuery('a[eq]=1&sort=name', 'sort=name&a%5Beq%5D=1')).toBe(true)
    expect(sameQuery('a[eq]=1', 'a[eq]=2')).toBe(false)
    expect(sameQuery('a[eq]=1&view=x', 'a[eq]=1')).toBe(true)
  })

  it('opens a view: its query in the address, with its id', () => {
    const p = paramsForView(view())
    expect(p.get('view')).toBe('v1')
    expect(p.get('tags')).toBe('hot')
    expect(p.get('status[eq]')).toBe('open')
  })

  it('shows the view’s columns and never hides the first', () => {
    expect(hiddenFor(ALL, ['title', 'value', 'owner'])).toEqual(['company', 'stage', 'status'])
    expect(hiddenFor(ALL, ['value'])).toEqual(['company', 'stage', 'owner', 'status'])
    expect(hiddenFor(ALL, [])).toEqual([])
    expect(shownColumns(ALL, ['company', 'stage', 'status'])).toEqual(['title', 'value', 'owner'])
  })

  it('knows when the page no longer shows what the view saved', () => {
    const v = view()
    const same = new URLSearchParams('view=v1&status[eq]=open&tags=hot&sort=-estimated_value')
    expect(isModified(v, same, ALL, ['company', 'stage', 'status'])).toBe(false)
    expect(isModified(v, same, ALL, ['company', 'stage'])).toBe(true)
    const refiltered = new URLSearchParams('view=v1&status[eq]=won&tags=hot&sort=-estimated_value')
    expect(isModified(v, refiltered, ALL, ['company', 'stage', 'status'])).toBe(true)
    // A view without columns keeps the list's defaults.
    expect(isModified(view({ columns: [] }), same, ALL, [])).toBe(false)
  })

  it('groups mine and the shared ones, and says who may change them', () => {
    const views = [
      view({ id: 'a', name: 'Zeta', created_by: 'me' }),
      view({ id: 'b', name: 'Alpha', created_by: 'me' }),
      view({ id: 'c', name: 'Team pipeline', shared: true, created_by: 'other' }),
      view({ id: 'd', name: 'Not mine', created_by: 'other' }),
    ]
    const g = groupViews(views, 'me')
    expect(g.mine.map((v) => v.id)).toEqual(['b', 'a'])
    expect(g.shared.map((v) => v.id)).toEqual(['c'])
    expect(mayChange(views[2], 'me', false)).toBe(false)
    expect(mayChange(views[2], 'me', true)).toBe(true)
    expect(mayChange(views[0], 'me', false)).toBe(true)
  })
})
