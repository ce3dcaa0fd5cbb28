// End-to-end: the real binary, a fresh database, real Chromium.
//   node e2e/run.mjs        (after `npm run build` and `cargo build`)
// Prints "N passed, M failed" and exits non-zero when anything failed.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import path from 'node:path'
import { seedForScreenshots } from './seed.mjs'
import { dashboardShots, dashboardTests } from './flows/dashboard.mjs'
import { settingsShots, settingsTests } from './flows/settings.mjs'
import { accountShots, accountTests } from './flows/account.mjs'
import { boardDragTests } from './flows/board.mjs'
import { gapTests } from './flows/gaps.mjs'
import { dailyShots, dailyTests } from './flows/daily.mjs'
import { calendarShots, calendarTests } from './flows/calendar.mjs'
import { signedInContext } from './flows/session.mjs'
import { tokenTests } from './flows/tokens.mjs'
import {
  eventually,
  apiClient,
  webDir,
  dragTo,
  ensureShotsDir,
  pick,
  launchBrowser,
  runner,
  shotsDir,
  startPrefixProxy,
  startServer,
} from './harness.mjs'

const PASSWORD = 'correct horse battery staple'
const uniq = Date.now().toString(36)
const owner = { name: 'Ana Souza', email: `ana-${uniq}@example.com`, org: 'Estúdio Aurora' }
const member = { name: 'Bruno Lima', email: `bruno-${uniq}@example.com` }
const stranger = { name: 'Carla Mendes', email: `carla-${uniq}@example.com` }
const leadTitle = 'Website redesign for Acme'

const t = runner()
let server
let browser
let exitCode = 1
try {
  server = await startServer()
  browser = await launchBrowser()
  const api = apiClient(server.base, { outbox: server.outbox })
  const newContext = (opts = {}) =>
    browser.newContext({ baseURL: server.base, locale: 'en-US', viewport: { width: 1440, height: 900 }, ...opts })

  const ownerCtx = await newContext()
  const page = await ownerCtx.newPage()
  const column = (p, name) => p.locator(`[data-testid="board-column"][data-stage-name="${name}"]`)
  const card = (p, title) => p.locator('[data-testid="lead-card"]', { hasText: title })
  let leadId
  let ownerSession
  let dashboardOrg
  const shot = async (p, name, opts = {}) => {
    ensureShotsDir()
    await p.waitForTimeout(300)
    await p.screenshot({ path: path.join(shotsDir, `${name}.png`), ...opts })
  }
  /** Themes live in the saved preferences, which the app follows on load. */
  const setTheme = async (signed, theme) => {
    await api.call('PATCH', '/users/me/preferences', { token: signed.session.access, org: signed.org, body: { theme } })
  }

  // E2E_ONLY=daily runs one flow file alone (a quick loop while working on it).
  const only = process.env.E2E_ONLY?.split(',').filter(Boolean) ?? []
  const flows = {
    daily: async () => {
      await dailyTests({ t, api, uniq, newContext })
      await t.step('screenshots of the daily pages, light, dark and phone', () => dailyShots({ api, uniq, newContext, shot }))
    },
    board: () => boardDragTests({ t, api, uniq, newContext }),
    calendar: async () => {
      const signed = await calendarTests({ t, api, uniq, newContext, server })
      await t.step('screenshots of the calendar, month and week, light and dark, desktop and phone', () =>
        calendarShots({ api, newContext, signed, shot, setTheme }),
      )
    },
    gaps: () => gapTests({ t, api, uniq, newContext }),
  }
  for (const name of only) {
    if (!flows[name]) throw new Error(`E2E_ONLY: no flow named ${name} (${Object.keys(flows).join(', ')})`)
    await flows[name]()
  }
  main: {
    if (only.length) break main

    const registered = await t.test('register shows API validation errors, then signs up and lands on the dashboard', async () => {
      await page.goto('/register')
      await page.getByLabel('Your name').fill(owner.name)
      await page.getByLabel('Email').fill('not-an-email')
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: 'Create account' }).click()
      // The API refuses the address; its problem+json field error shows under the field.
      await page.locator('#' + (await page.getByLabel('Email').getAttribute('id')) + '-error').waitFor()
      await page.getByLabel('Email').fill(owner.email)
      await page.getByLabel('Organization name').fill(owner.org)
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.waitForURL(`${server.base}/`)
      await page.getByTestId('org-name').filter({ hasText: owner.org }).waitFor()
      await page.getByTestId('dashboard-empty').waitFor()
      ownerSession = await page.evaluate(() => ({
        session: JSON.parse(localStorage.getItem('lovedcrm.session')),
        org: localStorage.getItem('lovedcrm.org'),
      }))
    })

    const created =
      registered &&
      (await t.test('creates a company, a contact and a lead from the UI', async () => {
        await page.getByRole('link', { name: 'Companies', exact: true }).click()
        await page.getByTestId('new-company').first().click()
        let dialog = page.getByRole('dialog')
        await dialog.getByLabel('Name').fill('Acme Corp')
        await dialog.getByLabel('Website').fill('acme.com')
        await dialog.getByRole('button', { name: 'Create', exact: true }).click()
        await page.getByTestId('list-row').filter({ hasText: 'Acme Corp' }).waitFor()

        await page.getByRole('link', { name: 'Contacts', exact: true }).click()
        await page.getByTestId('new-contact').first().click()
        dialog = page.getByRole('dialog')
        await dialog.getByLabel('Name').fill('Diego Ramos')
        await dialog.getByLabel('Email').fill('diego@acme.com')
        await pick(page, dialog.getByLabel('Company'), 'Acme Corp')
        await dialog.getByRole('button', { name: 'Create', exact: true }).click()
        await page.getByTestId('list-row').filter({ hasText: 'Diego Ramos' }).waitFor()

        await page.getByRole('link', { name: 'Pipeline', exact: true }).click()
        await page.getByTestId('new-lead').click()
        dialog = page.getByRole('dialog')
        await dialog.getByLabel('Title').fill(leadTitle)
        await pick(page, dialog.getByLabel('Company'), 'Acme Corp')
        await pick(page, dialog.getByLabel('Contact'), 'Diego Ramos')
        await dialog.getByLabel('Value').fill('12500')
        await dialog.getByRole('button', { name: 'Create lead' }).click()
        await card(column(page, 'Lead'), leadTitle).waitFor()
        leadId = await card(page, leadTitle).getAttribute('data-lead-id')
        if (!leadId) throw new Error('the card has no lead id')
      }))

    // The teammate: an account invited to the owner's organization through the API, which accepts.
    let memberPage
    const teammate =
      created &&
      (await t.test('a second member signs in and opens the same board', async () => {
        await api.join(
          { token: ownerSession.session.access, org: ownerSession.org },
          { email: member.email, name: member.name, role: 'manager' },
        )
        const ctx = await newContext()
        memberPage = await ctx.newPage()
        await memberPage.goto('/login')
        await memberPage.getByLabel('Email').fill(member.email)
        await memberPage.getByLabel('Password').fill(PASSWORD)
        await memberPage.getByRole('button', { name: 'Sign in' }).click()
        await memberPage.getByTestId('dashboard').waitFor()
        // The member's last organization is their own; switch to the owner's.
        // The board's live socket for the owner's organization, ready to deliver.
        const live = memberPage
          .waitForEvent('websocket', (ws) => ws.url().includes(`org_id=${ownerSession.org}`))
          .then((ws) => ws.waitForEvent('framereceived', (f) => String(f.payload).includes('"ready"')))
        await memberPage.getByRole('button', { name: 'Switch organization' }).click()
        await memberPage.getByRole('menuitem', { name: owner.org }).click()
        await memberPage.getByTestId('org-name').filter({ hasText: owner.org }).waitFor()
        await card(column(memberPage, 'Lead'), leadTitle).waitFor()
        await live
      }))

    const moved =
      created &&
      (await t.test('drags the lead from Lead to Proposal with the mouse; it stays there after reload', async () => {
        const saved = page.waitForResponse((r) => r.url().includes(`/leads/${leadId}/stage`) && r.request().method() === 'PATCH')
        await dragTo(page, card(page, leadTitle), column(page, 'Proposal'), { yOffset: 0.3 })
        const dropped = Date.now()
        await card(column(page, 'Proposal'), leadTitle).waitFor({ timeout: 2000 })
        console.log(`      card shown in Proposal ${Date.now() - dropped} ms after the drop (optimistic)`)
        const count = await column(page, 'Proposal').getByTestId('stage-count').textContent()
        if (count?.trim() !== '1') throw new Error(`Proposal count is ${count}`)
        // Wait for the server to accept the move, then reload.
        const res = await saved
        if (res.status() !== 200) throw new Error(`the move answered ${res.status()}`)
        await page.reload()
        await card(column(page, 'Proposal'), leadTitle).waitFor()
        if ((await card(column(page, 'Lead'), leadTitle).count()) !== 0) throw new Error('the lead is still in Lead')
      }))

    if (teammate && moved) {
      await t.test('the teammate sees the move live, without reloading', async () => {
        await card(column(memberPage, 'Proposal'), leadTitle).waitFor({ timeout: 5000 })
      })
    } else t.skip('the teammate sees the move live, without reloading', 'setup failed')

    if (created) {
      await t.test('dropping on a closed stage asks won or lost', async () => {
        await dragTo(page, card(page, leadTitle), column(page, 'Closed'), { yOffset: 0.3 })
        await page.getByRole('dialog').getByRole('radio', { name: 'Won' }).click()
        const saved = page.waitForResponse((r) => r.url().includes(`/leads/${leadId}/stage`) && r.request().method() === 'PATCH')
        await page.getByRole('button', { name: 'Close deal' }).click()
        await card(column(page, 'Closed'), leadTitle).waitFor()
        if ((await saved).status() !== 200) throw new Error('the closing move was refused')
        const lead = await api.call('GET', `/leads/${leadId}`, { token: ownerSession.session.access, org: ownerSession.org })
        if (lead.status !== 'won') throw new Error(`status is ${lead.status}`)
      })

      await t.test('the keyboard moves a card too (Space, arrow, Space)', async () => {
        const opts = { token: ownerSession.session.access, org: ownerSession.org }
        await api.call('POST', '/leads', { ...opts, body: { full_name: 'Keyboard lead', estimated_value: 100, tags: [] } })
        await card(column(page, 'Lead'), 'Keyboard lead').waitFor()
        await card(page, 'Keyboard lead').focus()
        await page.keyboard.press('Space')
        await page.waitForTimeout(150)
        await page.keyboard.press('ArrowRight')
        await page.waitForTimeout(250)
        await page.keyboard.press('Space')
        await card(column(page, 'Contact'), 'Keyboard lead').waitFor({ timeout: 3000 })
      })

      await t.test('the lead page shows details and logs a call on the timeline', async () => {
        await card(page, leadTitle).getByRole('link').click()
        await page.getByTestId('lead-title').filter({ hasText: leadTitle }).waitFor()
        // Details edit in place: click, type, Enter; saved with If-Match.
        await page.getByRole('button', { name: 'Edit Phone' }).click()
        await page.getByLabel('Phone', { exact: true }).fill('+5511912345678')
        await page.getByLabel('Phone', { exact: true }).press('Enter')
        await page.getByRole('link', { name: '+5511912345678' }).waitFor()
        await page.getByRole('radio', { name: 'Call' }).click()
        await page.getByLabel('What happened').fill('Discussed the scope and timeline.')
        await page.getByTestId('log-activity').click()
        await page.getByTestId('timeline').getByText('Discussed the scope and timeline.').waitFor()
        await page.getByRole('tab', { name: 'Email' }).click()
        await page.getByText('Nothing here yet').waitFor()
        await page.getByRole('tab', { name: 'All', exact: true }).click()
      })

      await t.test('the lead page adds a task and a comment that @mentions a teammate', async () => {
        await page.goto(`/leads/${leadId}`)
        const tasks = page.getByTestId('record-tasks')
        await tasks.getByRole('button', { name: 'Add task' }).click()
        await tasks.getByLabel('Task').fill('Send the revised proposal')
        await tasks.getByLabel('Due').fill('2030-01-15')
        await tasks.getByRole('button', { name: 'Add task' }).click()
        await tasks.getByText('Send the revised proposal').waitFor()

        const comments = page.getByTestId('record-comments')
        const box = comments.getByLabel('Write a comment')
        await box.click()
        await box.pressSequentially('Can you review this, @bru')
        await comments.getByRole('option', { name: member.name }).waitFor()
        await box.press('Enter')
        await box.pressSequentially('?')
        if ((await box.inputValue()) !== `Can you review this, @${member.name} ?`) throw new Error(`box has ${await box.inputValue()}`)
        await comments.getByRole('button', { name: 'Comment' }).click()
        await comments.locator('li', { hasText: 'Can you review this' }).getByText(`@${member.name}`).waitFor()
        // The teammate was notified through the mention.
        const memberSession = await memberPage.evaluate(() => JSON.parse(localStorage.getItem('lovedcrm.session')))
        const notes = await api.call('GET', '/notifications', { token: memberSession.access, org: ownerSession.org })
        const mention = notes.data.find((n) => n.kind === 'mention' && n.entity_type === 'lead' && n.entity_id === leadId)
        if (!mention || !JSON.stringify(mention.data).includes('Can you review this') || mention.read_at !== null)
          throw new Error(`no unread mention of this comment on the lead: ${JSON.stringify(notes.data)}`)
      })

      await t.test('the tasks page lists my tasks and ticks one off', async () => {
        await page.getByRole('link', { name: 'Tasks', exact: true }).click()
        await page.waitForURL(/\/tasks\?assignee_id/)
        // The agenda: the task is upcoming; ticked, it goes to Done (folded until opened).
        const row = page.getByTestId('task-group-upcoming').getByTestId('task-row').filter({ hasText: 'Send the revised proposal' })
        await row.waitFor()
        await row.getByRole('checkbox', { name: /^Mark/ }).click()
        await page.getByTestId('task-group-done').getByRole('button', { name: /Done/ }).click()
        await page.getByTestId('task-group-done').getByTestId('task-row').filter({ hasText: 'Send the revised proposal' }).waitFor()
      })

      await t.test('the team page lists members and changes a role', async () => {
        await page.getByRole('link', { name: 'Team', exact: true }).click()
        await page.getByTestId('member-row').filter({ hasText: member.email }).waitFor()
        await page.getByLabel(`Role of ${member.name}`).selectOption('sales')
        await page.getByText('Role changed').waitFor()
        const list = await api.call('GET', '/organizations/current/members', { token: ownerSession.session.access, org: ownerSession.org })
        if (list.data.find((m) => m.email === member.email)?.role !== 'sales') throw new Error('role not saved')
      })

      await t.test('pipeline settings: add a stage, reorder it with the keyboard, see it on the board, delete it', async () => {
        const opts = { token: ownerSession.session.access, org: ownerSession.org }
        await page.getByRole('link', { name: 'Pipelines', exact: true }).click()
        await page.getByTestId('stage-row').first().waitFor()
        await page.getByLabel('New stage name').fill('Onboarding')
        await page.getByRole('button', { name: 'Add stage' }).click()
        const row = page.locator('[data-testid="stage-row"][data-stage-name="Onboarding"]')
        await row.waitFor()
        // Keyboard reorder: lift with Space, one up, drop.
        await row.getByRole('button', { name: 'Move Onboarding' }).focus()
        await page.keyboard.press('Space')
        await page.waitForTimeout(150)
        await page.keyboard.press('ArrowUp')
        await page.waitForTimeout(250)
        await page.keyboard.press('Space')
        const stagesNow = async () => (await api.call('GET', '/pipelines', opts)).data.find((p) => p.is_default).stages.map((st) => st.name)
        for (let i = 0; i < 20; i++) {
          const names = await stagesNow()
          if (names.indexOf('Onboarding') === names.length - 2) break
          if (i === 19) throw new Error(`stages are ${names.join(', ')}`)
          await page.waitForTimeout(150)
        }
        await page.getByLabel('Win probability of Onboarding').fill('90')
        await page.getByLabel('Win probability of Onboarding').press('Enter')
        await page.getByRole('link', { name: 'Pipeline', exact: true }).click()
        await column(page, 'Onboarding').waitFor()
        const columns = await page.getByTestId('board-column').evaluateAll((els) => els.map((e) => e.dataset.stageName))
        if (columns.at(-2) !== 'Onboarding') throw new Error(`board columns: ${columns.join(', ')}`)
        await page.getByRole('link', { name: 'Pipelines', exact: true }).click()
        await row.getByRole('button', { name: 'Delete Onboarding' }).click()
        await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
        await row.waitFor({ state: 'detached' })
      })

      await t.test('contact and company pages: related leads, edits in place, a note on the contact', async () => {
        await page.getByRole('link', { name: 'Contacts', exact: true }).click()
        await page.getByTestId('list-row').filter({ hasText: 'Diego Ramos' }).click()
        await page.getByTestId('record-title').filter({ hasText: 'Diego Ramos' }).waitFor()
        await page.getByTestId('related-leads').getByText(leadTitle).waitFor()
        await page.getByRole('button', { name: 'Edit Job title' }).click()
        await page.getByLabel('Job title', { exact: true }).fill('Marketing director')
        await page.getByLabel('Job title', { exact: true }).press('Enter')
        await page.getByText('Marketing director').first().waitFor()
        await page.getByRole('radio', { name: 'Note' }).click()
        await page.getByLabel('What happened').fill('Prefers WhatsApp in the afternoon.')
        await page.getByTestId('log-activity').click()
        await page.getByTestId('timeline').getByText('Prefers WhatsApp in the afternoon.').waitFor()
        await page.getByRole('link', { name: 'Acme Corp' }).click()
        await page.getByTestId('record-title').filter({ hasText: 'Acme Corp' }).waitFor()
        await page.getByTestId('company-contacts').getByText('Diego Ramos').waitFor()
        await page.getByTestId('related-leads').getByText(leadTitle).waitFor()
        // The note logged on Diego shows on his company's timeline too.
        await page.getByTestId('timeline').getByText('Prefers WhatsApp in the afternoon.').waitFor()
      })

      await t.test('projects: create one, add and edit tasks in its table, delete one', async () => {
        await page.getByRole('link', { name: 'Projects', exact: true }).click()
        await page.getByTestId('new-project').first().click()
        const dialog = page.getByRole('dialog')
        await dialog.getByLabel('Name').fill('Acme website relaunch')
        await pick(page, dialog.getByLabel('Client'), 'Acme Corp')
        await dialog.getByLabel('Due').fill('2030-03-31')
        await dialog.getByRole('button', { name: 'Create', exact: true }).click()
        // On the name: the row's client cell is a link to the company.
        await page.getByTestId('list-row').getByText('Acme website relaunch').click()
        await page.getByTestId('record-title').filter({ hasText: 'Acme website relaunch' }).waitFor()
        const table = page.getByTestId('project-tasks')
        for (const name of ['Wireframes', 'Visual design']) {
          await table.getByLabel('New task').fill(name)
          await table.getByRole('button', { name: 'Add task' }).click()
          await table.getByTestId('project-task').filter({ hasText: name }).waitFor()
        }
        await table.getByLabel('Status of Wireframes').selectOption('in_progress')
        await table.getByLabel('Priority of Wireframes').selectOption('high')
        await table.getByRole('button', { name: 'Delete Visual design' }).click()
        await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
        await table.getByTestId('project-task').filter({ hasText: 'Visual design' }).waitFor({ state: 'detached' })
        const opts = { token: ownerSession.session.access, org: ownerSession.org }
        // Two quick edits of one task both land (the second waits for the first's new version).
        await eventually(async () => {
          const tasks = await api.call('GET', '/tasks?name[eq]=Wireframes', opts)
          if (tasks.data[0]?.status !== 'in_progress' || tasks.data[0]?.priority !== 'high') throw new Error(JSON.stringify(tasks.data[0]))
        })
        await page.getByRole('button', { name: 'Edit Status' }).click()
        await page.getByLabel('Status', { exact: true }).selectOption('in_progress')
        await page.getByLabel('Status', { exact: true }).blur()
        await page.getByText('In progress').first().waitFor()
      })

      await t.test('a user of another organization cannot open the lead', async () => {
        await api.register(stranger.email, stranger.name, 'Other Agency')
        const ctx = await newContext()
        const p = await ctx.newPage()
        await p.goto(`/leads/${leadId}`)
        await p.waitForURL('**/login?next=*')
        await p.getByLabel('Email').fill(stranger.email)
        await p.getByLabel('Password').fill(PASSWORD)
        await p.getByRole('button', { name: 'Sign in' }).click()
        // Back where they were going, but the lead is not theirs.
        await p.waitForURL(`**/leads/${leadId}`)
        await p.getByTestId('not-found').waitFor()
        await p.getByText('Lead not found').waitFor()
        if ((await p.getByText(leadTitle).count()) !== 0) throw new Error('the stranger sees the lead title')
        await ctx.close()
      })
    }

    if (registered) {
      await t.test('lists keep sort and filters in the URL', async () => {
        await page.goto('/leads')
        await page.getByRole('button', { name: 'Value', exact: true }).click()
        await page.waitForURL('**/leads?sort=estimated_value')
        await page.getByTestId('add-filter').click()
        await page.getByLabel('Field').selectOption({ label: 'Status' })
        await page.getByLabel('Condition').selectOption({ label: 'is' })
        await page.getByLabel('Value', { exact: true }).selectOption({ label: 'Lost' })
        await page.getByRole('button', { name: 'Apply filter' }).click()
        await page.waitForURL(/status%5Beq%5D=lost|status\[eq\]=lost/)
        await page.getByText('No matches').waitFor()
        await page.reload()
        await page.getByText('No matches').waitFor()
      })

      // The dashboard is where sign-in lands; the board is the heaviest page.
      // The budget is for what a page needs to show itself: the dashboard's
      // chart library (Recharts) is a chunk loaded after the figures and is
      // reported beside the budget, not in it.
      for (const [route, ready, deferred] of [
        ['/', (p) => p.getByTestId('source-row').first().waitFor(), /^Charts-/],
        ['/pipeline', (p) => column(p, 'Lead').waitFor(), null],
      ]) {
        await t.test(`${route} loads at most 300 KB of gzipped JavaScript`, async () => {
          const scripts = new Set()
          const ctx = await signedInContext(newContext, ownerSession)
          const p = await ctx.newPage()
          p.on('response', (r) => {
            const m = /\/assets\/([^/?]+\.js)$/.exec(new URL(r.url()).pathname)
            if (m) scripts.add(m[1])
          })
          await p.goto(route)
          await ready(p)
          await p.waitForLoadState('networkidle')
          let gz = 0
          let later = 0
          for (const name of scripts) {
            const size = gzipSync(readFileSync(path.join(webDir, 'dist/assets', name))).length
            if (deferred?.test(name)) later += size
            else gz += size
          }
          const note = later ? `, plus ${(later / 1024).toFixed(1)} KB loaded after the page showed (charts)` : ''
          console.log(`      ${route}: ${scripts.size} scripts, ${(gz / 1024).toFixed(1)} KB gzipped${note}`)
          await ctx.close()
          if (deferred && !later) throw new Error('the deferred chunk was not loaded: the check measures nothing')
          if (gz > 300 * 1024) throw new Error(`${(gz / 1024).toFixed(1)} KB is over the 300 KB budget`)
        })
      }

      await t.step('screenshots of the main pages, light and dark', async () => {
        ensureShotsDir()
        await seedForScreenshots(api, ownerSession)
        for (const theme of ['light', 'dark']) {
          await setTheme(ownerSession, theme)
          await page.goto('/pipeline')
          await column(page, 'Lead').waitFor()
          await shot(page, `pipeline-${theme}`)
          await page.goto('/leads')
          await page.getByTestId('list-row').first().waitFor()
          await shot(page, `leads-${theme}`)
          await page.goto('/contacts')
          await page.getByTestId('list-row').first().waitFor()
          await shot(page, `contacts-${theme}`)
          await page.goto(`/leads/${leadId}`)
          await page.getByTestId('timeline').waitFor()
          await shot(page, `lead-${theme}`)
          await page.goto('/tasks')
          await page.getByTestId('task-agenda').or(page.getByTestId('tasks-empty')).waitFor()
          await shot(page, `tasks-${theme}`)
          const contactRow = await api.call('GET', '/contacts?q=Diego', { token: ownerSession.session.access, org: ownerSession.org })
          await page.goto(`/contacts/${contactRow.data[0].id}`)
          await page.getByTestId('timeline').waitFor()
          await shot(page, `contact-${theme}`)
          await page.goto(`/companies/${contactRow.data[0].company_id}`)
          await page.getByTestId('company-contacts').waitFor()
          await page.getByTestId('timeline').waitFor()
          await shot(page, `company-${theme}`)
          await page.goto('/projects')
          // The name cell (the client cell links to the company).
          await page.getByTestId('list-row').first().getByRole('cell').nth(1).click()
          await page.getByTestId('project-task').first().waitFor()
          await shot(page, `project-${theme}`)
          await page.goto('/settings/pipelines')
          await page.getByTestId('stage-row').first().waitFor()
          await shot(page, `pipelines-settings-${theme}`)
          await page.goto('/settings/team')
          await page.getByTestId('member-row').first().waitFor()
          await shot(page, `team-${theme}`)
          await page.goto(`/leads/${leadId}`)
          await page.getByTestId('timeline').waitFor()
          await page.keyboard.press('Control+k')
          await page.keyboard.type('acme')
          await page.getByRole('option').first().waitFor()
          await shot(page, `search-${theme}`)
          await page.keyboard.press('Escape')
        }
        const mobile = await newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
        const m = await mobile.newPage()
        await m.goto('/login')
        await m.getByRole('button', { name: 'Sign in' }).waitFor()
        await shot(m, 'login-mobile')
        await m.getByLabel('Email').fill(owner.email)
        await m.getByLabel('Password').fill(PASSWORD)
        await m.getByRole('button', { name: 'Sign in' }).click()
        await m.getByTestId('dashboard').waitFor()
        await m.goto('/pipeline')
        await column(m, 'Lead').waitFor()
        await shot(m, 'pipeline-mobile')
        await m.getByRole('button', { name: 'Menu', exact: true }).click()
        await shot(m, 'nav-mobile')
        await mobile.close()
        const anon = await newContext()
        const a = await anon.newPage()
        await a.goto('/register')
        await a.getByRole('button', { name: 'Create account' }).waitFor()
        await shot(a, 'register-light')
        await anon.close()
        await setTheme(ownerSession, 'light')
      })

      await t.test('lists: choose columns, tag and delete selected rows', async () => {
        await page.goto('/companies?sort=name')
        const rows = page.getByTestId('list-row')
        await rows.filter({ hasText: 'Bellini Café' }).waitFor()
        await page.getByTestId('column-chooser').click()
        await page.getByRole('checkbox', { name: 'Industry' }).uncheck()
        await page.keyboard.press('Escape')
        if ((await page.getByRole('columnheader', { name: 'Industry' }).count()) !== 0) throw new Error('Industry column still shown')
        await page.reload()
        await rows.first().waitFor()
        if ((await page.getByRole('columnheader', { name: 'Industry' }).count()) !== 0) throw new Error('column choice not remembered')

        await rows.filter({ hasText: 'Bellini Café' }).getByRole('checkbox', { name: 'Select row' }).check()
        await rows.filter({ hasText: 'Casa Verde' }).getByRole('checkbox', { name: 'Select row' }).check()
        const bar = page.getByTestId('bulk-bar')
        await bar.getByText('2 selected').waitFor()
        await bar.getByRole('button', { name: 'Tag' }).click()
        await page.getByLabel('Tag name').fill('vip')
        await page.getByRole('button', { name: 'Apply tag' }).click()
        await page.getByText('Tagged 2 records').waitFor()
        const opts = { token: ownerSession.session.access, org: ownerSession.org }
        const tagged = await api.call('GET', '/companies?tags=vip', opts)
        if (tagged.data.length !== 2) throw new Error(`${tagged.data.length} companies tagged`)

        await rows.filter({ hasText: 'Ritmo Fitness' }).getByRole('checkbox', { name: 'Select row' }).check()
        await page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete' }).click()
        await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
        await page.getByText('Deleted 1 record').waitFor()
        await rows.filter({ hasText: 'Ritmo Fitness' }).waitFor({ state: 'detached' })
      })

      await t.test('a long column renders only the cards in view and loads the rest on demand', async () => {
        const opts = { token: ownerSession.session.access, org: ownerSession.org }
        const pipeline = await api.call('POST', '/pipelines', { ...opts, body: { name: 'Enterprise' } })
        const negotiation = pipeline.stages.find((st) => st.name === 'Negotiation')
        for (let i = 0; i < 130; i++) {
          await api.call('POST', '/leads', {
            ...opts,
            body: { full_name: `Bulk lead ${i}`, pipeline_id: pipeline.id, stage_id: negotiation.id, estimated_value: 10, tags: [] },
          })
        }
        // The pipeline selector appears with a second pipeline and switches the board.
        await page.goto('/pipeline')
        await page.getByLabel('Pipeline', { exact: true }).selectOption({ label: 'Enterprise' })
        await page.waitForURL(`**/pipeline/${pipeline.id}`)
        const col = column(page, 'Negotiation')
        await col.getByTestId('stage-count').filter({ hasText: '130' }).waitFor()
        const rendered = await col.getByTestId('lead-card').count()
        if (rendered >= 100) throw new Error(`${rendered} cards in the DOM: not virtualized`)
        await col.getByRole('button', { name: 'Show 30 more' }).click()
        await col.getByRole('button', { name: /Show \d+ more/ }).waitFor({ state: 'detached' })
        await col.locator('.overflow-y-auto').evaluate((el) => (el.scrollTop = el.scrollHeight))
        await card(col, 'Bulk lead 129').waitFor()
      })

      await boardDragTests({ t, api, uniq, newContext })
      await gapTests({ t, api, uniq, newContext })
      await flows.daily()
      await flows.calendar()
      await settingsTests({ t, page, api, ownerSession, owner })
      await t.step('screenshots of the settings pages, light and dark', () => settingsShots({ page, ownerSession, shot, setTheme, api }))
      dashboardOrg = await dashboardTests({ t, api, uniq, newContext, server })
      if (dashboardOrg)
        await t.step('screenshots of the dashboard, light, dark and phone', () =>
          dashboardShots({ newContext, signed: dashboardOrg, shot, setTheme }),
        )
      await accountTests({ t, api, uniq, newContext, server, shot })
      await t.step('screenshots of security, API keys and team settings, light and dark', () =>
        accountShots({ newContext, shot, setTheme, api, uniq }),
      )

      await t.test('switching the language to Portuguese translates the interface', async () => {
        await page.goto('/pipeline')
        await page.getByTestId('user-menu').click()
        await page.getByRole('menuitemradio', { name: 'Português (Brasil)' }).click()
        await page.getByRole('link', { name: 'Funil', exact: true }).waitFor()
        await page.getByRole('link', { name: 'Contatos', exact: true }).waitFor()
        await page.getByTestId('new-lead').filter({ hasText: 'Novo lead' }).waitFor()
        const lang = await page.evaluate(() => document.documentElement.lang)
        if (lang !== 'pt-BR') throw new Error(`html lang is ${lang}`)
        await page.reload()
        await page.getByRole('link', { name: 'Empresas', exact: true }).waitFor()
        await column(page, 'Lead').waitFor()
        await page.getByTestId('pipeline-summary').filter({ hasText: 'leads' }).waitFor()
        await page.waitForTimeout(300)
        await page.screenshot({ path: path.join(shotsDir, 'pipeline-pt-BR.png') })
      })
    }

    await tokenTests({ t, browser, uniq })

    await t.test('behind a reverse proxy under /crm/ (LOVEDCRM_BASE_PATH): sign in, board, live socket, deep link', async () => {
      const prefixed = await startServer({ basePath: '/crm/' })
      const proxy = await startPrefixProxy(prefixed.base, '/crm/')
      try {
        const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
        const p = await ctx.newPage()
        const outside = []
        p.on('request', (r) => {
          if (!new URL(r.url()).pathname.startsWith('/crm/')) outside.push(r.url())
        })
        await p.goto(`${proxy.base}/leads`)
        await p.waitForURL('**/crm/login?next=*')
        await p.getByRole('link', { name: 'Create account' }).click()
        await p.getByLabel('Your name').fill('Proxy User')
        await p.getByLabel('Email').fill(`proxy-${uniq}@example.com`)
        await p.getByLabel('Password', { exact: true }).fill(PASSWORD)
        await p.getByRole('button', { name: 'Create account' }).click()
        await p.waitForURL('**/crm/leads')
        await p.getByRole('link', { name: 'Pipeline', exact: true }).click()
        await p.waitForURL('**/crm/pipeline')
        await column(p, 'Lead').waitFor()
        const ws = p.waitForEvent('websocket', (w) => w.url().includes('/crm/api/v1/ws'))
        await p.reload()
        await column(p, 'Lead').waitFor()
        await ws
        if (outside.length) throw new Error(`requests outside the prefix: ${outside.join(', ')}`)
        await ctx.close()
      } finally {
        await proxy.stop()
        await prefixed.stop()
      }
    })
  }
  exitCode = t.summary() === 0 ? 0 : 1
} catch (e) {
  console.error('e2e setup failed:', e)
  t.summary()
  exitCode = 1
} finally {
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
}
process.exit(exitCode)
