import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readSession, refreshSession, saveSession } from './session'

const tokens = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: 'Bearer',
  expires_in: 900,
  user: { id: 'u', email: 'a@b.c', name: 'A' },
})

beforeEach(() => {
  saveSession({ access: 'access-0', refresh: 'refresh-0', expiresAt: Date.now() - 1, user: { id: 'u', email: 'a@b.c', name: 'A' } })
})
afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('refresh token rotation', () => {
  it('refreshes once when many requests find the token stale at the same time', async () => {
    let n = 0
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const { refresh_token } = JSON.parse(String(init.body))
      expect(refresh_token).toBe(`refresh-${n}`) // never a used one
      n += 1
      await new Promise((r) => setTimeout(r, 10))
      return new Response(JSON.stringify(tokens(n)), { status: 200 })
    })
    vi.stubGlobal('fetch', fetch)
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => refreshSession('access-0')))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(results.map((s) => s?.access)).toEqual(Array(5).fill('access-1'))
    expect(readSession()?.refresh).toBe('refresh-1')
  })

  it('ends the session when the server refuses the refresh token', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 401 })),
    )
    expect(await refreshSession('access-0')).toBeNull()
    expect(readSession()).toBeNull()
  })

  it('keeps the session when the network is down', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    )
    expect((await refreshSession('access-0'))?.access).toBe('access-0')
  })
})
