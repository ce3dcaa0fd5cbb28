/**
 * The typed API client (openapi-fetch over the generated schema).
 *
 * Its fetch adds the bearer token and `X-Org-Id`, refreshes the token shortly
 * before it expires, and on a 401 refreshes once and replays the request. When
 * the session cannot be renewed it is cleared, which sends the app to the login
 * page (and back here after signing in).
 */
import createClient from 'openapi-fetch'
import i18next from 'i18next'
import { apiUrl } from '@/config'
import type { paths } from './schema'
import { REFRESH_TRANSPORT, currentOrgId, freshAccessToken, readSession, refreshSession } from './session'

async function authFetch(input: Request): Promise<Response> {
  const url = new URL(input.url)
  const isAuth = url.pathname.endsWith('/auth/login') || url.pathname.endsWith('/auth/register') || url.pathname.endsWith('/auth/refresh')
  if (isAuth) return fetch(asWebApp(withLanguage(input)))

  const replay = input.clone()
  const token = await freshAccessToken()
  const first = withAuth(input, token)
  const res = await fetch(first)
  if (res.status !== 401 || !token) return res

  const renewed = await refreshSession(token)
  if (!renewed) return res
  return fetch(withAuth(replay, renewed.access))
}

function withAuth(req: Request, token: string | null): Request {
  const headers = new Headers(req.headers)
  if (token) headers.set('authorization', `Bearer ${token}`)
  const org = currentOrgId()
  if (org && !headers.get('x-org-id')) headers.set('x-org-id', org)
  return asWebApp(withLanguage(new Request(req, { headers })))
}

/**
 * Asks the server to keep the refresh token in an HttpOnly cookie: no script
 * on the page can read it (the server acts on this only where it issues tokens).
 */
function asWebApp(req: Request): Request {
  if (req.headers.get(REFRESH_TRANSPORT)) return req
  const headers = new Headers(req.headers)
  headers.set(REFRESH_TRANSPORT, 'cookie')
  return new Request(req, { headers })
}

/** The interface's language, not the browser's: the server writes emails and a new organization's first pipeline in it. */
function withLanguage(req: Request): Request {
  if (!i18next.language || req.headers.get('accept-language')) return req
  const headers = new Headers(req.headers)
  headers.set('accept-language', i18next.language)
  return new Request(req, { headers })
}

export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? apiUrl('') : window.location.origin + apiUrl(''),
  fetch: authFetch,
})

/** True when someone is signed in on this browser. */
export function isSignedIn(): boolean {
  return readSession() !== null
}
