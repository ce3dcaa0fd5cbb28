/**
 * The signed-in session: the access token in localStorage, shared by every
 * tab; the refresh token in an HttpOnly cookie the server sets, which no
 * script (ours or an injected one) can read.
 *
 * Refresh tokens are single-use and the server ends the whole session when one
 * is presented twice, so refreshes are serialized across requests *and tabs*
 * (Web Locks), and whoever gets the lock first re-reads storage: when another
 * tab already rotated the token, it uses that one instead of refreshing again.
 */
import { apiUrl } from '@/config'
import type { components } from './schema'

export type TokenResponse = components['schemas']['TokenResponse']

/** The header that asks for the refresh token as a cookie. */
export const REFRESH_TRANSPORT = 'x-refresh-transport'

export interface Session {
  access: string
  /** Only in sessions saved before the cookie: spent on their next refresh, then gone. */
  refresh?: string
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number
  /** The access token's lifetime in milliseconds (absent in sessions saved by older versions). */
  ttlMs?: number
  user: { id: string; email: string; name: string }
}

const KEY = 'lovedcrm.session'
const ORG_KEY = 'lovedcrm.org'
const LOCK = 'lovedcrm.refresh'
/**
 * Refresh this long before the access token expires: a minute, or a quarter
 * of the token's life when the server issues shorter ones.
 */
function earlyMs(s: Session): number {
  return Math.min(60_000, (s.ttlMs ?? Infinity) / 4)
}

type Listener = (s: Session | null) => void
const listeners = new Set<Listener>()

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

function emit(s: Session | null) {
  for (const l of listeners) l(s)
}

export function subscribeSession(l: Listener): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

if (typeof window !== 'undefined') {
  // Another tab signed in, refreshed or signed out.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) emit(readSession())
  })
}

export function sessionFromTokens(t: TokenResponse): Session {
  return {
    access: t.access_token,
    expiresAt: Date.now() + t.expires_in * 1000,
    ttlMs: t.expires_in * 1000,
    user: t.user,
  }
}

export function saveSession(s: Session | null) {
  if (s) localStorage.setItem(KEY, JSON.stringify(s))
  else localStorage.removeItem(KEY)
  emit(s)
}

export function currentOrgId(): string | null {
  return localStorage.getItem(ORG_KEY)
}

export function setCurrentOrgId(id: string | null) {
  if (id) localStorage.setItem(ORG_KEY, id)
  else localStorage.removeItem(ORG_KEY)
}

/** Runs `fn` while holding the cross-tab refresh lock (an in-tab queue where Web Locks are missing). */
let chain: Promise<unknown> = Promise.resolve()
function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks?.request) {
    return navigator.locks.request(LOCK, fn) as Promise<T>
  }
  const run = chain.then(fn, fn)
  chain = run.catch(() => undefined)
  return run
}

/**
 * Gets a session whose access token is newer than `stale` (the one a request
 * was refused with, or the current one when it is about to expire).
 * Resolves `null` when the session is over (the user must sign in again).
 */
export function refreshSession(stale: string): Promise<Session | null> {
  return withRefreshLock(async () => {
    const current = readSession()
    if (!current) return null
    // Someone (this tab or another) already rotated while we waited.
    if (current.access !== stale && current.expiresAt - Date.now() > earlyMs(current)) return current
    let res: Response
    try {
      res = await fetch(apiUrl('/api/v1/auth/refresh'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', [REFRESH_TRANSPORT]: 'cookie' },
        // The cookie carries the token; a session saved before it sends its own once.
        body: JSON.stringify(current.refresh ? { refresh_token: current.refresh } : {}),
      })
    } catch {
      // Offline: keep the session, the request fails on its own.
      return current
    }
    if (res.status === 401 || res.status === 400) {
      saveSession(null)
      return null
    }
    if (!res.ok) return current
    const next = sessionFromTokens((await res.json()) as TokenResponse)
    saveSession(next)
    return next
  })
}

/** The access token to send now, refreshed first when it is about to expire. */
export async function freshAccessToken(): Promise<string | null> {
  const s = readSession()
  if (!s) return null
  if (s.expiresAt - Date.now() > earlyMs(s)) return s.access
  const next = await refreshSession(s.access)
  return next?.access ?? null
}

export async function logout() {
  const s = readSession()
  saveSession(null)
  if (s) {
    // The server ends the session and clears the refresh cookie.
    await fetch(apiUrl('/api/v1/auth/logout'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { authorization: `Bearer ${s.access}`, [REFRESH_TRANSPORT]: 'cookie' },
    }).catch(() => undefined)
  }
}

const orgListeners = new Set<() => void>()

export function subscribeOrg(l: () => void): () => void {
  orgListeners.add(l)
  return () => orgListeners.delete(l)
}

/** Switches the organization every request acts in. */
export function switchOrg(id: string | null) {
  setCurrentOrgId(id)
  for (const l of orgListeners) l()
}
