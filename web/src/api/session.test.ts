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
  saveSession({ access: 'access-0', expiresAt: Date.now() - 1, user: { id: 'u', email: 'a@b.c', name: 'A' } })
})
afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('refresh token rotation', () => {
  it('refreshes once when many requests find the token stale at the same time', async () => {
    let n = 0
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      // The refresh token travels in the HttpOnly cookie, never in the body.
      expect(JSON.parse(String(init.body))).toEqual({})
      expect((init.headers as Record<string, string>)['x-refresh-transport']).toBe('cookie')
      expect(init.credentials).toBe('same-origin')
      n += 1
      await new Promise((r) => setTimeout(r, 10))
      return new Response(JSON.stringify(tokens(n)), { status: 200 })
    })
    vi.stubGlobal('fetch', fetch)
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => refreshSession('access-0')))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(results.map((s) => s?.access)).toEqual(Array(5).fill('access-1'))
    expect(readSession()?.refresh).toBeUndefined()
    expect(localStorage.getItem('lovedcrm.session')).not.toContain('refresh-')
  })

  it('spends the refresh token of a session saved before the cookie once, then forgets it', async () => {
    saveSession({ access: 'access-0', refresh: 'refresh-0', expiresAt: Date.now() - 1, user: { id: 'u', email: 'a@b.c', name: 'A' } })
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      expect(JSON.parse(String(init.body))).toEqual({ refresh_token: 'refresh-0' })
      return new Response(JSON.stringify({ ...tokens(1), refresh_token: undefined }), { status: 200 })
    })
    vi.stubGlobal('fetch', fetch)
    expect((await refreshSession('access-0'))?.access).toBe('access-1')
    expect(readSession()?.refresh).toBeUndefined()
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
