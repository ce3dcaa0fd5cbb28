// Issue 5 in the browser: 2FA, sessions, API keys, invites, password reset and email verification.
import { TOTP } from 'otpauth'
import { eventually } from '../harness.mjs'
import { sessionOf, signedInContext } from './session.mjs'

const PASSWORD = 'correct horse battery staple'
const totp = (secret) => new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' })
/** The code of the next 30 s step: the server allows one step of skew and refuses a step used before. */
const nextCode = (secret) => totp(secret).generate({ timestamp: Date.now() + 30_000 })
const linkFor = (server, to, pathPart) => {
  const mail = server.outbox().find((m) => m.to === to && m.links.some((l) => l.includes(pathPart)))
  if (!mail) throw new Error(`no mail to ${to} with ${pathPart}: ${JSON.stringify(server.outbox())}`)
  const url = new URL(mail.links.find((l) => l.includes(pathPart)))
  return url.pathname + url.search
}

export async function accountTests({ t, api, uniq, newContext, server, shot }) {
  const email = `tfa-${uniq}@example.com`
  const tokens = await api.register(email, 'Tomás Fa', 'Secure Studio')
  const signed = sessionOf(tokens)
  const opts = { token: signed.session.access, org: signed.org }

  await t.test('2FA: set up with the QR code and backup codes, sign out, sign in with a TOTP code computed in the test', async () => {
    const ctx = await signedInContext(newContext, signed)
    const p = await ctx.newPage()
    await p.goto('/settings/security')
    await p.getByTestId('setup-2fa').click()
    await p.getByTestId('qr-code').waitFor()
    const secret = (await p.getByTestId('totp-secret').textContent()).trim()
    if (shot) await shot(p, 'security-2fa-setup-light')
    await p.getByLabel('Six-digit code').fill(totp(secret).generate())
    await p.getByRole('button', { name: 'Turn on' }).click()
    await p.getByTestId('backup-codes').waitFor()
    const codes = await p.getByTestId('backup-code').allTextContents()
    if (codes.length !== 10) throw new Error(`${codes.length} backup codes`)
    await p.getByTestId('backup-codes-done').click()
    await p.locator('[data-testid="two-factor-status"][data-enabled="true"]').waitFor()
    await p.getByTestId('user-menu').click()
    await p.getByRole('menuitem', { name: 'Sign out' }).click()
    await p.waitForURL('**/login')
    await p.getByLabel('Email').fill(email)
    await p.getByLabel('Password').fill(PASSWORD)
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.getByTestId('two-factor-step').waitFor()
    if (shot) await shot(p, 'login-2fa-light')
    await p.getByLabel('Authentication code').fill(nextCode(secret))
    await p.getByRole('button', { name: 'Verify' }).click()
    await p.getByTestId('dashboard').waitFor()
    const status = await api.call('GET', '/auth/2fa', {
      token: (await p.evaluate(() => JSON.parse(localStorage.getItem('lovedcrm.session')))).access,
    })
    if (!status.enabled || status.backup_codes_remaining !== 10) throw new Error(JSON.stringify(status))
    await ctx.close()
  })

  await t.test('sessions: this browser and another are listed; revoking the other ends it', async () => {
    const who = `sess-${uniq}@example.com`
    const first = sessionOf(await api.register(who, 'Sara Sessions', 'Session Co'))
    const second = await api.call('POST', '/auth/login', { body: { email: who, password: PASSWORD } })
    const ctx = await signedInContext(newContext, first)
    const p = await ctx.newPage()
    await p.goto('/settings/security')
    await p.locator('[data-testid="session-row"][data-current="true"]').waitFor()
    const others = p.locator('[data-testid="session-row"][data-current="false"]')
    await others.first().waitFor()
    const before = await others.count()
    await others
      .first()
      .getByRole('button', { name: /^Sign out / })
      .click()
    await p.getByText('Session signed out').waitFor()
    await p.waitForFunction((n) => document.querySelectorAll('[data-testid="session-row"][data-current="false"]').length === n - 1, before)
    const res = await fetch(`${server.base}/api/v1/users/me`, { headers: { authorization: `Bearer ${second.access_token}` } })
    if (res.status !== 401) throw new Error(`the revoked session still answers ${res.status}`)
    await ctx.close()
  })

  await t.test('API keys: create one with scopes, see it once, call the API with it, revoke it', async () => {
    const ctx = await signedInContext(newContext, sessionOf(await api.register(`keys-${uniq}@example.com`, 'Kim Keys', 'Keys Co')))
    const p = await ctx.newPage()
    await p.goto('/settings/api-keys')
    await p.getByTestId('new-api-key').click()
    const dialog = p.getByRole('dialog')
    await dialog.getByLabel('Name').fill('Website form')
    await dialog.getByLabel('Access to contacts').selectOption('write')
    await dialog.getByLabel('Access to leads').selectOption('read')
    await dialog.getByRole('button', { name: 'Create key' }).click()
    const key = (await dialog.getByTestId('api-key-secret').textContent()).trim()
    if (!key.startsWith('lcrm_')) throw new Error(`key ${key}`)
    await dialog.getByRole('button', { name: 'Done' }).click()
    const row = p.getByTestId('api-key-row').filter({ hasText: 'Website form' })
    await row.getByText('contacts:write').waitFor()
    if ((await p.getByText(key).count()) !== 0) throw new Error('the key is shown again in the list')
    const call = (method, url, body) =>
      fetch(`${server.base}/api/v1${url}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
    const created = await call('POST', '/contacts', { name: 'Made by a key', tags: [] })
    if (created.status !== 201) throw new Error(`create with the key: ${created.status} ${await created.text()}`)
    if ((await call('POST', '/leads', { full_name: 'Not allowed', tags: [] })).status !== 403) throw new Error('leads:read allowed a write')
    await row.getByRole('button', { name: 'Revoke Website form' }).click()
    await p.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click()
    await row.waitFor({ state: 'detached' })
    if ((await call('GET', '/contacts')).status !== 401) throw new Error('the revoked key still works')
    await ctx.close()
  })

  await t.test('team: invite by email; the invitee opens the emailed link and joins with a new account', async () => {
    const owner = sessionOf(await api.register(`boss-${uniq}@example.com`, 'Bia Boss', 'Invite Agency'))
    const ctx = await signedInContext(newContext, owner)
    const p = await ctx.newPage()
    await p.goto('/settings/team')
    const invitee = `new-${uniq}@example.com`
    for (const to of [invitee, `other-${uniq}@example.com`]) {
      await p.getByTestId('invite-member').click()
      await p.getByRole('dialog').getByLabel('Email').fill(to)
      await p.getByRole('dialog').getByLabel('Role').selectOption('manager')
      await p.getByRole('dialog').getByRole('button', { name: 'Invite' }).click()
      await p.getByTestId('invite-row').filter({ hasText: to }).waitFor()
    }
    // Resending is a second mail in the outbox, not only a toast; its link opens the invitation.
    const other = `other-${uniq}@example.com`
    const invitesTo = () => server.outbox(100).filter((m) => m.to === other && m.links.some((l) => l.includes('/invite/')))
    await eventually(() => {
      if (invitesTo().length !== 1) throw new Error(`${invitesTo().length} invitation mails to ${other} before the resend`)
    })
    await p.getByRole('button', { name: `Resend the invitation to ${other}` }).click()
    await p.getByText('Invitation sent again').waitFor()
    const [resent] = await eventually(() => {
      const mails = invitesTo()
      if (mails.length !== 2) throw new Error(`${mails.length} invitation mails to ${other} after the resend`)
      return mails
    })
    const resentLink = resent.links.find((l) => l.includes('/invite/'))
    const peek = await newContext()
    const pp = await peek.newPage()
    await pp.goto(new URL(resentLink).pathname + new URL(resentLink).search)
    await pp.getByTestId('invite-org').filter({ hasText: 'Invite Agency' }).waitFor()
    await peek.close()
    await p.getByRole('button', { name: `Revoke the invitation to other-${uniq}@example.com` }).click()
    await p
      .getByTestId('invite-row')
      .filter({ hasText: `other-${uniq}` })
      .waitFor({ state: 'detached' })
    if (shot) await shot(p, 'team-light', { fullPage: true })

    const link = linkFor(server, invitee, '/invite/')
    const anon = await newContext()
    const a = await anon.newPage()
    await a.goto(link)
    await a.getByTestId('invite-org').filter({ hasText: 'Invite Agency' }).waitFor()
    if (shot) await shot(a, 'invite-light')
    await a.getByLabel('Your name').fill('Nina Nova')
    await a.getByLabel('Password').fill(PASSWORD)
    await a.getByTestId('accept-invite').click()
    await a.getByTestId('dashboard').waitFor()
    await a.getByTestId('org-name').filter({ hasText: 'Invite Agency' }).waitFor()
    await anon.close()
    const members = await api.call('GET', '/organizations/current/members', { token: owner.session.access, org: owner.org })
    if (members.data.find((m) => m.email === invitee)?.role !== 'manager') throw new Error(JSON.stringify(members.data))
    await ctx.close()
  })

  await t.test('password reset by the emailed link; email verification by the emailed link', async () => {
    const who = `reset-${uniq}@example.com`
    await api.register(who, 'Rita Reset', 'Reset Co')
    const anon = await newContext()
    const p = await anon.newPage()
    await p.goto('/login')
    await p.getByRole('link', { name: 'Forgot your password?' }).click()
    // The page is loaded lazily: until its button shows, "Email" is still the sign-in form's field.
    const send = p.getByRole('button', { name: 'Send the link' })
    await send.waitFor()
    await p.getByLabel('Email').fill(who)
    await send.click()
    await p.getByTestId('forgot-sent').waitFor()
    const reset = await eventually(() => linkFor(server, who, 'reset-password'), 10_000)
    await p.goto(reset)
    await p.getByLabel('New password').fill('a brand new passphrase')
    await p.getByLabel('Repeat the password').fill('a brand new passphrase')
    await p.getByRole('button', { name: 'Set password' }).click()
    await p.getByTestId('reset-done').waitFor()
    await api.call('POST', '/auth/login', { body: { email: who, password: 'a brand new passphrase' } })

    const verify = await eventually(() => linkFor(server, who, 'verify-email'), 10_000)
    await p.goto(verify)
    await p.getByTestId('email-verified-done').waitFor()
    const tokens = await api.call('POST', '/auth/login', { body: { email: who, password: 'a brand new passphrase' } })
    const me = await api.call('GET', '/users/me', { token: tokens.access_token })
    if (!me.email_verified) throw new Error('not verified')
    await anon.close()
  })

  return { signed, opts }
}

/** Screenshots of the Issue 5 pages in both themes (the 2FA user's security page, API keys, team). */
export async function accountShots({ newContext, shot, setTheme, api, uniq }) {
  const s = sessionOf(await api.register(`shots-${uniq}@example.com`, 'Lia Shots', 'Shots Studio'))
  const opts = { token: s.session.access, org: s.org }
  await api.call('POST', '/api-keys', { ...opts, body: { name: 'Zapier', scopes: ['contacts:write', 'leads:read'] } })
  await api.call('POST', '/api-keys', { ...opts, body: { name: 'Reporting', scopes: ['*:read'] } })
  await api.call('POST', '/organizations/current/invites', { ...opts, body: { email: `guest-${uniq}@example.com`, role: 'sales' } })
  for (const theme of ['light', 'dark']) {
    await setTheme(s, theme)
    const ctx = await signedInContext(newContext, s, { viewport: { width: 1440, height: 1100 } })
    const p = await ctx.newPage()
    for (const [path, name, ready] of [
      ['/settings/security', 'security', 'session-row'],
      ['/settings/api-keys', 'api-keys', 'api-key-row'],
      ['/settings/team', 'team-settings', 'permission-matrix'],
    ]) {
      await p.goto(path)
      await p.getByTestId(ready).first().waitFor()
      await shot(p, `${name}-${theme}`)
    }
    await ctx.close()
  }
  await setTheme(s, 'light')
}
