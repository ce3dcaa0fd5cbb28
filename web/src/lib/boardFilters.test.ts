import { describe, expect, it } from 'vitest'
import { boardFilters, boardQuery, hasFilters, leadListQuery, shownUnder, withBoardFilters } from './boardFilters'

describe('board filters in the URL', () => {
  it('reads owner, tags and words, and asks the board with them', () => {
    const f = boardFilters(new URLSearchParams('owner=me&tags=vip,%20hot,vip&q=%20acme%20'))
    expect(f).toEqual({ owner: 'me', tags: ['vip', 'hot'], q: 'acme' })
    expect(hasFilters(f)).toBe(true)
    expect(boardQuery(f)).toEqual({ assigned_to: 'me', tags: 'vip,hot', q: 'acme' })
    expect(leadListQuery(f, 'u1')).toEqual({ 'assigned_to[eq]': 'u1', tags: 'vip,hot', q: 'acme' })
    expect(boardQuery(boardFilters(new URLSearchParams('')))).toEqual({})
    expect(hasFilters(boardFilters(new URLSearchParams('other=1')))).toBe(false)
  })

  it('writes them back, dropping empty ones and keeping other parameters', () => {
    const next = withBoardFilters(new URLSearchParams('owner=me&x=1'), { owner: '', tags: ['a'], q: ' ' })
    expect(next.toString()).toBe('x=1&tags=a')
  })

  it('tells whether a new lead shows under the filters', () => {
    const lead = { title: 'Website for Café Brasil', company_name: 'Acme', assigned_to: 'u1', tags: ['vip'] }
    expect(shownUnder({ owner: '', tags: [], q: '' }, lead, 'u1')).toBe(true)
    expect(shownUnder({ owner: 'me', tags: [], q: '' }, lead, 'u1')).toBe(true)
    expect(shownUnder({ owner: 'me', tags: [], q: '' }, lead, 'u2')).toBe(false)
    expect(shownUnder({ owner: '', tags: ['hot', 'vip'], q: '' }, lead, 'u1')).toBe(true)
    expect(shownUnder({ owner: '', tags: ['hot'], q: '' }, lead, 'u1')).toBe(false)
    expect(shownUnder({ owner: '', tags: [], q: 'cafe bra' }, lead, 'u1')).toBe(true)
    expect(shownUnder({ owner: '', tags: [], q: 'acm' }, lead, 'u1')).toBe(true)
    expect(shownUnder({ owner: '', tags: [], q: 'globex' }, lead, 'u1')).toBe(false)
  })
})
