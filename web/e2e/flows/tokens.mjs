// Tokens as the server ends them: real expiry (a server issuing two-second
// access tokens), server-side revocation, and two tabs refreshing at once.
// Nothing here edits what the app keeps in localStorage.
import { apiClient, startServer } from '../harness.mjs'
import { signedInContext, sessionOf } from './session.mjs'

const PASSWORD = 'correct horse battery staple'
/** The server's access-token lifetime here; it accepts tokens 5 s past expiry. */
const TTL_SECS = 2
const PAST_EXPIRY_MS = (TTL_SECS + 5 + 1) * 1000

/** Counts the requests of a context to `/auth/refresh` and the API calls refused with 401. */
function watchAuth(ctx) {
  const seen = { refreshes: 0, refused: [] }
  ctx.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/auth/refresh')) seen.refreshes++
  })
  ctx.on('response', (r) => {
    const path = new URL(r.url()).pathname
    if (r.status() === 401 && path.startsWith('/api/') && !path.includes('/auth/')) seen.refused.push(path)
  })
  return seen
}

export async function tokenTests({ t, browser, uniq }) {
  const server = await startServer({ env: { LOVEDCRM_ACCESS_TOKEN_TTL_SECS: String(TTL_SECS) } })
  const api = apiClient(server.base)
  const newContext = (opts = {}) =>
    browser.newContext({ baseURL: server.base, locale: 'en-US', viewport: { width: 1440, height: 900 }, ...opts })
  try {
    const signed = sessionOf(await api.register(`tok-${uniq}@example.com`, 'Tina Token', 'Token Co'))
    const opts = { token: signed.session.access, org: signed.org }
    await api.call('POST', '/contacts', { ...opts, body: { name: 'Olga Oliveira', tags: [] } })

    await t.test('tokens: a token that expired while the tab sat idle is renewed before the next call', async () => {
      const ctx = await signedInContext(newContext, signed)
      const seen = watchAuth(ctx)
      const page = await ctx.newPage()
      await page.goto('/contacts')
      await page.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      const first = await page.evaluate(() => JSON.parse(localStorage.getItem('lovedcrm.session')).access)
      await page.waitForTimeout(PAST_EXPIRY_MS)
      const before = seen.refreshes
      await page.getByRole('link', { name: 'Companies', exact: true }).click()
      await page.getByRole('link', { name: 'Contacts', exact: true }).click()
      await page.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      const now = await page.evaluate(() => JSON.parse(localStorage.getItem('lovedcrm.session')).access)
      if (now === first) throw new Error('the access token was not renewed')
      if (seen.refreshes <= before) throw new Error('no refresh was made')
      if (seen.refused.length) throw new Error(`calls were refused first: ${seen.refused.join(', ')}`)
      await ctx.close()
    })

    await t.test('tokens: a token the server finds expired (the browser clock is behind) is renewed and the call replayed', async () => {
      const ctx = await signedInContext(newContext, sessionOf(await api.login(`tok-${uniq}@example.com`)))
      const seen = watchAuth(ctx)
      const page = await ctx.newPage()
      // The page's clock stands still at the sign-in; the server's runs on.
      await page.clock.setFixedTime(Date.now())
      await page.goto('/contacts')
      await page.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      await page.waitForTimeout(PAST_EXPIRY_MS)
      await page.getByRole('link', { name: 'Companies', exact: true }).click()
      await page.getByRole('link', { name: 'Contacts', exact: true }).click()
      await page.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      if (!seen.refused.length) throw new Error('the server did not refuse the expired token: the test proves nothing')
      if (!seen.refreshes) throw new Error('no refresh after the 401')
      if (page.url().includes('/login')) throw new Error('sent to the login page')
      await ctx.close()
    })

    await t.test('tokens: two tabs with an expired token refresh once between them (Web Locks) and stay signed in', async () => {
      const ctx = await signedInContext(newContext, sessionOf(await api.login(`tok-${uniq}@example.com`)))
      const seen = watchAuth(ctx)
      const [a, b] = [await ctx.newPage(), await ctx.newPage()]
      for (const p of [a, b]) {
        await p.goto('/contacts')
        await p.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      }
      await a.waitForTimeout(PAST_EXPIRY_MS)
      const before = seen.refreshes
      // Both tabs call at once with the same expired token.
      await Promise.all([a.reload(), b.reload()])
      for (const p of [a, b]) await p.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      const refreshed = seen.refreshes - before
      if (refreshed !== 1) throw new Error(`${refreshed} refreshes for two tabs`)
      const [sa, sb] = await Promise.all([a, b].map((p) => p.evaluate(() => localStorage.getItem('lovedcrm.session'))))
      if (sa !== sb) throw new Error('the tabs hold different sessions')
      // The session is alive: a refresh token presented twice would have ended it.
      const me = await fetch(`${server.base}/api/v1/users/me`, { headers: { authorization: `Bearer ${JSON.parse(sa).access}` } })
      if (me.status !== 200) throw new Error(`the session ended: /users/me answers ${me.status}`)
      await ctx.close()
    })

    await t.test('tokens: a session revoked on the server sends the tab to sign-in and back to the same page', async () => {
      const ctx = await signedInContext(newContext, sessionOf(await api.login(`tok-${uniq}@example.com`)))
      const page = await ctx.newPage()
      await page.goto('/contacts?sort=name')
      await page.getByTestId('list-row').filter({ hasText: 'Olga Oliveira' }).waitFor()
      // Signed out elsewhere: the server ends the session (its socket closes too).
      const access = await page.evaluate(() => JSON.parse(localStorage.getItem('lovedcrm.session')).access)
      const out = await fetch(`${server.base}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${access}` } })
      if (out.status !== 204) throw new Error(`logout answered ${out.status}`)
      await page.getByRole('link', { name: 'Companies', exact: true }).click()
      await page.waitForURL('**/login?next=*')
      await page.getByLabel('Email').fill(`tok-${uniq}@example.com`)
      await page.getByLabel('Password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL('**/companies')
      await ctx.close()
    })
  } finally {
    await server.stop()
  }
}
