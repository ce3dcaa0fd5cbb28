import { describe, expect, it } from 'vitest'
import { versionedEdit } from './versioned'

describe('versionedEdit', () => {
  it('sends back-to-back edits one after the other, each with the version the previous one returned', async () => {
    let server = 1
    const sent: number[] = []
    const patch = async (version: number) => {
      sent.push(version)
      await new Promise((r) => setTimeout(r, 5))
      if (version !== server) throw new Error('412')
      server += 1
      return { version: server }
    }
    const results = await Promise.all([versionedEdit('t1', 1, patch), versionedEdit('t1', 1, patch), versionedEdit('t1', 1, patch)])
    expect(sent).toEqual([1, 2, 3])
    expect(results.map((r) => r.version)).toEqual([2, 3, 4])
  })

  it('a failed edit does not block the next one', async () => {
    const first = versionedEdit('t2', 1, async () => Promise.reject(new Error('nope')))
    const second = versionedEdit('t2', 1, async (v) => ({ version: v + 1 }))
    await expect(first).rejects.toThrow('nope')
    expect((await second).version).toBe(2)
  })
})
