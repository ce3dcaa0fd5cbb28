// Test plumbing for the end-to-end suite: the real binary on a fresh SQLite
// database in a temporary folder, Debian's Chromium driven by playwright-core,
// a tiny sequential runner that prints "N passed, M failed".
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const repoDir = path.resolve(webDir, '..')
export const shotsDir = path.join(repoDir, 'artifacts', 'screenshots')

/**
 * Where emailed links point: the server is started on port 0 and its port is
 * known only once it listens, so links name this origin and `outbox()` turns
 * it into the server's.
 */
const MAIL_ORIGIN = 'http://lovedcrm.e2e.invalid'

/**
 * Starts `lovedcrm serve` on port 0 over a new database (it writes the
 * address it bound to LOVEDCRM_ADDR_FILE: no port picked in advance for
 * another process to take); resolves once /health answers.
 */
export async function startServer({ basePath, env = {} } = {}) {
  const bin = process.env.LOVEDCRM_BIN ?? path.join(repoDir, 'target/debug/lovedcrm')
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build first`)
  const dist = path.join(webDir, 'dist')
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error('web/dist is missing: run npm run build first')
  const dir = mkdtempSync(path.join(tmpdir(), 'lovedcrm-e2e-'))
  const addrFile = path.join(dir, 'addr')
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      LOVEDCRM_LISTEN: '127.0.0.1:0',
      LOVEDCRM_ADDR_FILE: addrFile,
      LOVEDCRM_DATA_DIR: dir,
      DATABASE_URL: `sqlite://${path.join(dir, 'e2e.db')}`,
      LOVEDCRM_WEB_DIR: dist,
      LOVEDCRM_LOG: 'warn',
      LOVEDCRM_AUTH_RATE_PER_IP_PER_MINUTE: '1000',
      LOVEDCRM_LOGIN_RATE_PER_ACCOUNT_PER_MINUTE: '1000',
      LOVEDCRM_PUBLIC_URL: `${MAIL_ORIGIN}${basePath ? basePath.replace(/\/$/, '') : ''}`,
      ...(basePath ? { LOVEDCRM_BASE_PATH: basePath } : {}),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const deadline = Date.now() + 30_000
  let base = null
  for (;;) {
    if (child.exitCode !== null) throw new Error(`lovedcrm exited with ${child.exitCode}`)
    if (!base && existsSync(addrFile)) base = `http://${readFileSync(addrFile, 'utf8').trim()}`
    if (base)
      try {
        const res = await fetch(`${base}/health`)
        if (res.ok) break
      } catch {
        /* not listening yet */
      }
    if (Date.now() > deadline) throw new Error('lovedcrm did not answer /health within 30 s')
    await new Promise((r) => setTimeout(r, 100))
  }
  const databaseUrl = `sqlite://${path.join(dir, 'e2e.db')}`
  return {
    base,
    /** The mails sent (no SMTP configured: `lovedcrm outbox`), newest first: [{to, subject, links}]. */
    outbox(limit = 20) {
      const text = execFileSync(bin, ['outbox', '--limit', String(limit)], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: databaseUrl, LOVEDCRM_DATA_DIR: dir, LOVEDCRM_LOG: 'error' },
      })
      return text
        .split(/^── .* ──$/m)
        .slice(1)
        .map((m) => ({
          to: /^To:\s+(.*)$/m.exec(m)?.[1]?.trim(),
          subject: /^Subject:\s+(.*)$/m.exec(m)?.[1]?.trim(),
          links: [...m.matchAll(/^Link:\s+(.*)$/gm)].map((x) => x[1].trim().replace(MAIL_ORIGIN, base)),
        }))
    },
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Console errors the suite expects, each with why. Chromium logs every non-2xx
 * response as "Failed to load resource"; the tests cause those on purpose
 * (422 on a bad email, 401 on an expired token, 404 for another
 * organization's lead), and the app shows them as messages, so they are not
 * page failures. Nothing else is allowed.
 */
const ALLOWED_CONSOLE_ERRORS = [/^Failed to load resource: the server responded with a status of (4\d\d)/]

/** Page errors and console errors seen since the last `takePageErrors()`. */
const pageErrors = []

export function takePageErrors() {
  return pageErrors.splice(0)
}

/** Every page of `context` reports its uncaught errors and console errors. */
function watchErrors(context) {
  context.on('weberror', (e) => pageErrors.push(`uncaught: ${e.error().message}`))
  context.on('console', (m) => {
    if (m.type() !== 'error') return
    const text = m.text()
    if (ALLOWED_CONSOLE_ERRORS.some((re) => re.test(text))) return
    pageErrors.push(`console.error: ${text.split('\n').slice(0, 3).join(' ')}`)
  })
}

/** Chromium whose every context watches for page errors (see `takePageErrors`). */
export async function launchBrowser() {
  const browser = await launchChromium()
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (...args) => {
    const context = await newContext(...args)
    watchErrors(context)
    return context
  }
  return browser
}

function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * A small API client for setting up what the UI test does not exercise.
 * `outbox` (the server's, see `startServer`) lets `join` read invitation mails.
 */
export function apiClient(base, { outbox } = {}) {
  const call = async (method, url, { token, org, body, headers } = {}) => {
    const res = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(org ? { 'x-org-id': org } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    const json = text ? JSON.parse(text) : null
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`)
    return json
  }
  const register = (email, name, organization_name) =>
    call('POST', '/auth/register', { body: { email, password: 'correct horse battery staple', name, organization_name } })
  return {
    call,
    register,
    login: (email) => call('POST', '/auth/login', { body: { email, password: 'correct horse battery staple' } }),
    /**
     * Makes a person a member of `by`'s organization ({token, org} of someone
     * who may manage members) the way people join: their account signs up
     * (with its own organization), POST /organizations/current/members
     * invites the email (202 with the invite; nobody joins yet), and the
     * invitee accepts the emailed link with their own bearer token.
     * Resolves to the account's sign-up token response (still valid).
     */
    async join(by, { email, name, role }) {
      if (!outbox) throw new Error('apiClient(base, { outbox }) is needed to read the invitation mail')
      const tokens = await register(email, name)
      const res = await fetch(`${base}/api/v1/organizations/current/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${by.token}`, 'x-org-id': by.org },
        body: JSON.stringify({ email, role }),
      })
      const invite = await res.json()
      if (res.status !== 202) throw new Error(`POST /organizations/current/members → ${res.status}: ${JSON.stringify(invite)}`)
      if (invite.email?.toLowerCase() !== email.toLowerCase() || invite.role !== role || invite.status !== 'pending')
        throw new Error(`the invite: ${JSON.stringify(invite)}`)
      const members = await call('GET', '/organizations/current/members', by)
      if (members.data.some((m) => m.email === email)) throw new Error(`${email} is a member before accepting the invitation`)
      // The mail goes out through the job queue, a moment later.
      const link = await eventually(() => {
        const mail = outbox(100).find((m) => m.to === email && m.links.some((l) => l.includes('/invite/')))
        if (!mail) throw new Error(`no invitation mail to ${email}`)
        return mail.links.find((l) => l.includes('/invite/'))
      }, 15_000)
      const token = decodeURIComponent(new URL(link).pathname.split('/invite/')[1].split('/')[0])
      const accepted = await call('POST', `/invites/${encodeURIComponent(token)}/accept`, { token: tokens.access_token, body: {} })
      if (accepted.organization_id !== by.org) throw new Error(`accepted into ${accepted.organization_id}, not ${by.org}`)
      return tokens
    },
  }
}

/**
 * Sequential tests; later ones may rely on earlier ones, so a failure skips the
 * rest of its group. A test fails when a page threw or logged an error while
 * it ran (an error boundary that caught a crash logs one).
 *
 * `step` runs what is not a test, such as taking screenshots: it is checked
 * the same way and a failing step fails the run, but steps are reported on
 * their own and not counted in "N passed".
 */
export function runner() {
  const results = []
  const steps = []
  const run = async (list, name, fn) => {
    const started = Date.now()
    takePageErrors()
    try {
      await fn()
      // Errors a last render or request of this test logs arrive a moment later.
      await new Promise((r) => setTimeout(r, 50))
      const errors = takePageErrors()
      if (errors.length) throw new Error(`the page reported ${errors.length} error(s):\n${errors.slice(0, 5).join('\n')}`)
      list.push({ name, ok: true })
      console.log(`  ✓ ${list === steps ? 'step: ' : ''}${name} (${Date.now() - started} ms)`)
      return true
    } catch (e) {
      list.push({ name, ok: false, error: e })
      console.log(
        `  ✗ ${list === steps ? 'step: ' : ''}${name}\n      ${String(e?.stack ?? e)
          .split('\n')
          .slice(0, 6)
          .join('\n      ')}`,
      )
      return false
    }
  }
  return {
    /** A test: counted in "N passed, M failed". */
    test: (name, fn) => run(results, name, fn),
    /** A step that is not a test (screenshots): must not throw, counted apart. */
    step: (name, fn) => run(steps, name, fn),
    skip(name, why) {
      results.push({ name, ok: false, error: new Error(why) })
      console.log(`  ✗ ${name} (not run: ${why})`)
    },
    /**
     * Prints "K screenshot steps, J failed", then "N passed, M failed" (tests
     * only; a failed step is named on that line too), and returns how many
     * tests and steps failed.
     */
    summary() {
      const passed = results.filter((r) => r.ok).length
      const failed = results.length - passed
      const stepsFailed = steps.filter((r) => !r.ok).length
      console.log(`\n${steps.length} screenshot steps, ${stepsFailed} failed (not counted as tests)`)
      console.log(`${passed} passed, ${failed} failed${stepsFailed ? `; ${stepsFailed} of ${steps.length} screenshot steps failed` : ''}`)
      return failed + stepsFailed
    },
  }
}

export function ensureShotsDir() {
  mkdirSync(shotsDir, { recursive: true })
}

/**
 * Chooses `name` in a record picker (a combobox that searches the server):
 * opens it, types the name, and clicks the matching option in its popover.
 */
export async function pick(page, picker, name) {
  await picker.click()
  const popover = page.locator('[data-radix-popper-content-wrapper]').last()
  await popover.locator('[cmdk-input]').fill(name)
  await popover.getByRole('option', { name }).first().click()
  await picker.filter({ hasText: name }).waitFor()
}

/**
 * Drags with real mouse moves: press, small steps (dnd-kit's pointer sensor
 * needs movement past its activation distance), then the drop point.
 */
export async function dragTo(page, source, target, { yOffset = 0.5 } = {}) {
  const from = await source.boundingBox()
  const to = await target.boundingBox()
  if (!from || !to) throw new Error('drag source or target is not visible')
  const sx = from.x + from.width / 2
  const sy = from.y + Math.min(20, from.height / 2)
  const tx = to.x + to.width / 2
  const ty = to.y + to.height * yOffset
  await page.mouse.move(sx, sy)
  await page.mouse.down()
  for (let i = 1; i <= 4; i++) await page.mouse.move(sx + i * 3, sy + i * 2)
  const steps = 20
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(sx + ((tx - sx) * i) / steps, sy + ((ty - sy) * i) / steps)
    await page.waitForTimeout(16)
  }
  await page.waitForTimeout(100)
  await page.mouse.up()
}

/**
 * A reverse proxy that serves `target` under `prefix` and strips it, like
 * nginx's `location /crm/ { proxy_pass http://app/; }` (WebSockets included).
 */
export async function startPrefixProxy(target, prefix) {
  const http = await import('node:http')
  const net = await import('node:net')
  const upstream = new URL(target)
  const strip = (url) => (url.startsWith(prefix) ? url.slice(prefix.length - 1) || '/' : null)
  const server = http.createServer((req, res) => {
    const path = strip(req.url)
    if (path === null) {
      res.writeHead(404).end('outside the prefix')
      return
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers)
      up.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  server.on('upgrade', (req, socket, head) => {
    const path = strip(req.url)
    if (path === null) return socket.destroy()
    const up = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${path} HTTP/1.1`]
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
      up.write(lines.join('\r\n') + '\r\n\r\n')
      if (head?.length) up.write(head)
      up.pipe(socket)
      socket.pipe(up)
    })
    up.on('error', () => socket.destroy())
    socket.on('error', () => up.destroy())
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    base: `http://127.0.0.1:${server.address().port}${prefix.replace(/\/$/, '')}`,
    stop: () => new Promise((r) => server.close(r)),
  }
}

/** Retries `check` until it stops throwing, for what the server finishes after the page shows it. */
export async function eventually(check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > deadline) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}
