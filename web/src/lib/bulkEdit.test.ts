import { describe, expect, it } from 'vitest'
import { bulkBody, chunks, mergeAnswers, reasonOf, summarizeBulk } from './bulkEdit'

describe('bulk edit answers', () => {
  const names = new Map([
    ['a', 'Acme rebrand'],
    ['b', 'Globex site'],
    ['c', 'Initech SEO'],
    ['d', 'Umbrella ads'],
  ])

  it('counts what changed and names every refused row with why', () => {
    const s = summarizeBulk(
      {
        updated: 1,
        results: [
          { id: 'a', status: 200, version: 4 },
          { id: 'b', status: 412, error: { code: 'version_conflict', detail: 'changed' } },
          { id: 'c', status: 403, error: { code: 'forbidden' } },
          { id: 'd', status: 422, error: { code: 'validation_failed', errors: [{ field: 'assigned_to', message: 'is not a member' }] } },
        ],
      },
      names,
    )
    expect(s.updated).toBe(1)
    expect(s.failed.map((f) => [f.name, f.reason])).toEqual([
      ['Globex site', 'conflict'],
      ['Initech SEO', 'forbidden'],
      ['Umbrella ads', 'invalid'],
    ])
    expect(s.byReason).toEqual({ conflict: 1, forbidden: 1, invalid: 1 })
    expect(s.failed[2].error?.errors?.[0].field).toBe('assigned_to')
  })

  it('names a row it does not know by its id, and all-success has no failures', () => {
    const s = summarizeBulk(
      {
        updated: 2,
        results: [
          { id: 'a', status: 200 },
          { id: 'zz', status: 404 },
        ],
      },
      names,
    )
    expect(s.failed).toEqual([{ id: 'zz', name: 'zz', status: 404, reason: 'notFound', error: null }])
    expect(
      summarizeBulk(
        {
          updated: 2,
          results: [
            { id: 'a', status: 200 },
            { id: 'b', status: 200 },
          ],
        },
        names,
      ),
    ).toEqual({
      updated: 2,
      failed: [],
      byReason: {},
    })
    expect(reasonOf(500)).toBe('other')
  })

  it('sends at most 500 rows a request and adds the answers up', () => {
    const ids = Array.from({ length: 1203 }, (_, i) => i)
    expect(chunks(ids).map((c) => c.length)).toEqual([500, 500, 203])
    expect(
      mergeAnswers([
        { updated: 1, results: [{ id: 'a', status: 200 }] },
        { updated: 0, results: [{ id: 'b', status: 412 }] },
      ]),
    ).toEqual({
      updated: 1,
      results: [
        { id: 'a', status: 200 },
        { id: 'b', status: 412 },
      ],
    })
  })

  it('builds the request: a field, a custom field (merged), or a lead’s stage', () => {
    expect(bulkBody({ kind: 'field', field: 'assigned_to', value: 'u1' })).toEqual({ patch: { assigned_to: 'u1' } })
    expect(bulkBody({ kind: 'custom', key: 'budget', value: 10 })).toEqual({ patch: { custom_fields: { budget: 10 } } })
    expect(bulkBody({ kind: 'stage', stageId: 's2' })).toEqual({ stage_id: 's2' })
  })
})
