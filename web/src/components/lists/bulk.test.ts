import { describe, expect, it } from 'vitest'
import { runPool } from './bulk'

describe('runPool', () => {
  it('runs every item, never more than the limit at once, and counts failures', async () => {
    let running = 0
    let peak = 0
    const result = await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
      if (n % 3 === 0) throw new Error('nope')
    })
    expect(result).toEqual({ ok: 5, failed: 2 })
    expect(peak).toBe(3)
  })

  it('handles an empty list', async () => {
    expect(await runPool([], 4, async () => undefined)).toEqual({ ok: 0, failed: 0 })
  })
})
