// The daily loop of issue 16 in a real browser: board filters and totals,
// workspace settings, the deal page, saved views, rows as links, bulk and
// in-place editing, notifications, feedback, the tasks agenda, the command
// palette and the first-run checklist. Every effect is read back through
// the API; pointer gestures are real mouse input.
import { eventually, pick } from '../harness.mjs'
import { sessionOf, signedInContext } from './session.mjs'

const DAY = 86_400_000
const column = (p, name) => p.locator(`[data-testid="board-column"][data-stage-name="${name}"]`)
const cardById = (p, id) => p.locator(`[data-testid="lead-card"][data-lead-id="${id}"]`)
const shownCardIds = (p) => p.getByTestId('lead-card').evaluateAll((els) => els.map((e) => e.dataset.leadId))
const rowOf = (p, text) => p.getByTestId('list-row').filter({ hasText: text })

/** A small SVG logo, as a file the workspace page uploads. */
const LOGO_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" rx="12" fill="#0f766e"/><circle cx="32" cy="32" r="14" fill="#fff"/></svg>',
)

/** An organization with an owner and a teammate, a few deals in two currencies, tasks and a conversation. */
async function seed(api, uniq) {
  const ownerTokens = await api.register(`daily-${uniq}@example.com`, 'Olivia Owner', 'Daily Agency')
  const owner = sessionOf(ownerTokens)
  const opts = { token: owner.session.access, org: owner.org }
  const mateEmail = `daily-mate-${uniq}@example.com`
  const mateTokens = await api.join(opts, { email: mateEmail, name: 'Mateus Mate', role: 'manager' })
  const mate = { session: sessionOf(mateTokens).session, org: owner.org }
  const mateOpts = { token: mate.session.access, org: owner.org }
  const ownerId = ownerTokens.user.id
  const mateId = mateTokens.user.id

  const pipeline = (await api.call('GET', '/pipelines', opts)).data.find((p) => p.is_default)
  const stage = (name) => pipeline.stages.find((s) => s.name === name)
  const acme = await api.call('POST', '/companies', { ...opts, body: { name: 'Acme Corp', tags: [] } })
  const diego = await api.call('POST', '/contacts', { ...opts, body: { name: 'Diego Ramos', company_id: acme.id, tags: [] } })
  const fernanda = await api.call('POST', '/contacts', { ...opts, body: { name: 'Fernanda Alves', tags: [] } })
  const lead = async (full_name, stageName, extra = {}) =>
    api.call('POST', '/leads', { ...opts, body: { full_name, stage_id: stage(stageName).id, tags: [], ...extra } })
  const leads = {
    acme: await lead('Acme rebrand', 'Lead', {
      estimated_value: 10000,
      currency: 'BRL',
      assigned_to: ownerId,
      tags: ['vip'],
      contact_id: diego.id,
      company_id: acme.id,
      company_name: 'Acme Corp',
    }),
    globex: await lead('Globex website', 'Lead', { estimated_value: 5000, currency: 'USD', assigned_to: mateId, tags: ['hot'] }),
    initech: await lead('Initech SEO', 'Contact', { estimated_value: 3000, currency: 'BRL', assigned_to: ownerId, tags: ['vip', 'hot'] }),
    umbrella: await lead('Umbrella ads', 'Proposal', { estimated_value: 2000, currency: 'BRL', assigned_to: mateId }),
    won: await lead('Won retainer', 'Proposal', { estimated_value: 1500, currency: 'BRL', assigned_to: ownerId }),
    lost: await lead('Lost pitch', 'Proposal', { estimated_value: 900, currency: 'BRL', assigned_to: ownerId }),
  }
  for (const name of ['Bulk alpha', 'Bulk beta', 'Bulk gamma']) {
    leads[name] = await lead(name, 'Lead', { estimated_value: 100, currency: 'BRL', assigned_to: ownerId })
  }
  const closed = stage('Closed')
  await api.call('PATCH', `/leads/${leads.won.id}/stage`, {
    ...opts,
    headers: { 'if-match': `"${leads.won.version}"` },
    body: { stage_id: closed.id, outcome: 'won' },
  })
  await api.call('PATCH', `/leads/${leads.lost.id}/stage`, {
    ...opts,
    headers: { 'if-match': `"${leads.lost.version}"` },
    body: { stage_id: closed.id, outcome: 'lost', lost_reason: 'Budget cut' },
  })
  const task = (name, due, extra = {}) =>
    api.call('POST', '/tasks', { ...opts, body: { name, due_date: due, assignee_id: ownerId, tags: [], ...extra } })
  await task('Call Diego about the brief', new Date(Date.now() - DAY).toISOString(), { lead_id: leads.acme.id, priority: 'high' })
  await task('Send the Initech proposal', new Date(Date.now() + 60_000).toISOString(), { lead_id: leads.initech.id })
  await task('Plan the kickoff', new Date(Date.now() + 3 * DAY).toISOString())
  await api.call('POST', '/communications', {
    ...opts,
    body: {
      channel: 'whatsapp',
      lead_id: leads.acme.id,
      contact_id: diego.id,
      direction: 'inbound',
      content: 'Can we move the kickoff to Friday?',
    },
  })
  return { owner, mate, opts, mateOpts, ownerId, mateId, pipeline, stage, leads, diego, fernanda, acme, mateEmail }
}

export async function dailyTests({ t, api, uniq, newContext }) {
  const w = await seed(api, uniq)
  const { opts, leads, stage } = w
  const ctx = await signedInContext(newContext, w.owner)
  const page = await ctx.newPage()
  const mateCtx = await signedInContext(newContext, w.mate)
  const matePage = await mateCtx.newPage()
  const getLead = (id) => api.call('GET', `/leads/${id}`, opts)

  await t.test('board: my deals, an owner, tags and words filter the cards and stay in the URL', async () => {
    await page.goto('/pipeline')
    await cardById(page, leads.globex.id).waitFor()
    // The mouse on "My deals": only mine, in the URL.
    const mine = page.getByTestId('my-deals')
    const box = await mine.boundingBox()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 6 })
    await page.mouse.down()
    await page.mouse.up()
    await page.waitForURL(/owner=me/)
    await cardById(page, leads.globex.id).waitFor({ state: 'detached' })
    await cardById(page, leads.acme.id).waitFor()
    // Tags: any of the chosen.
    await page.getByTestId('board-tags').click()
    await page.getByTestId('tag-picker').getByRole('option', { name: 'vip' }).click()
    await page.keyboard.press('Escape')
    await page.waitForURL(/tags=vip/)
    await cardById(page, leads['Bulk alpha'].id).waitFor({ state: 'detached' })
    const vipMine = (await shownCardIds(page)).sort()
    if (vipMine.join() !== [leads.acme.id, leads.initech.id].sort().join()) throw new Error(`vip and mine shows ${vipMine}`)
    // Words.
    await page.getByTestId('board-search').fill('initech')
    await page.waitForURL(/q=initech/)
    await cardById(page, leads.acme.id).waitFor({ state: 'detached' })
    await page.reload()
    await cardById(page, leads.initech.id).waitFor()
    if ((await shownCardIds(page)).join() !== leads.initech.id) throw new Error('the filters did not survive a reload')
    if ((await page.getByTestId('board-search').inputValue()) !== 'initech') throw new Error('the search box lost its words')
    // Someone else's deals through the owner picker.
    await page.getByTestId('board-clear').click()
    await page.getByTestId('board-owner').selectOption({ label: 'Mateus Mate' })
    await page.waitForURL(new RegExp(`owner=${w.mateId}`))
    await cardById(page, leads.umbrella.id).waitFor()
    await cardById(page, leads.acme.id).waitFor({ state: 'detached' })
    await page.getByTestId('board-clear').click()
    await cardById(page, leads.acme.id).waitFor()
  })

  await t.test('board: won and lost apart in the closing column, totals per currency, the next task with its overdue mark', async () => {
    await page.goto('/pipeline')
    const closed = column(page, 'Closed')
    await closed.getByTestId('outcome-won').filter({ hasText: '1 won' }).waitFor()
    await closed.getByTestId('outcome-lost').filter({ hasText: '1 lost' }).waitFor()
    await cardById(closed, leads.won.id).getByTestId('card-won').waitFor()
    await cardById(closed, leads.lost.id).getByTestId('card-lost').waitFor()
    // The Lead column holds reais and dollars: each summed under its own symbol.
    const total = await column(page, 'Lead').getByTestId('stage-total').textContent()
    if (!/R\$\s?10,300/.test(total) || !/\$5,000/.test(total)) throw new Error(`the Lead column's total reads ${total}`)
    const summary = await page.getByTestId('pipeline-summary').textContent()
    if (!summary.includes('R$') || !summary.includes('$5,000')) throw new Error(`the summary reads ${summary}`)
    const next = cardById(page, leads.acme.id).getByTestId('next-task')
    await next.filter({ hasText: 'Call Diego about the brief' }).waitFor()
    if ((await next.getAttribute('data-overdue')) !== 'true') throw new Error('the overdue task has no overdue mark')
    const soon = cardById(page, leads.initech.id).getByTestId('next-task')
    if ((await soon.getAttribute('data-overdue')) !== 'false') throw new Error('a task due later is marked overdue')
  })

  await t.test('board: a lead created while the board is filtered shows (the filters give way) and is scrolled to', async () => {
    await page.goto('/pipeline?tags=vip')
    await cardById(page, leads.acme.id).waitFor()
    await page.getByTestId('new-lead').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Title').fill('Fresh from the form')
    await dialog.getByRole('button', { name: 'Create lead' }).click()
    await page.getByText('Filters cleared so the new lead shows.').waitFor()
    await column(page, 'Lead').getByTestId('lead-card').filter({ hasText: 'Fresh from the form' }).waitFor()
    if (new URL(page.url()).searchParams.get('tags')) throw new Error('the tag filter is still on')
  })

  await t.test('workspace settings: rename, default currency, logo and colour; the sidebar and the board follow', async () => {
    await page.goto('/settings/workspace')
    const name = page.getByLabel('Organization name')
    await name.fill('Daily Studio')
    await page.getByLabel('Default currency').selectOption('EUR')
    await page.getByLabel('Brand colour', { exact: true }).fill('#0f766e')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Workspace saved').waitFor()
    await page.getByTestId('org-name').filter({ hasText: 'Daily Studio' }).waitFor()
    // Without a logo the badge is the initials on the brand colour.
    const mark = page.getByTestId('workspace-mark').first()
    if ((await mark.evaluate((el) => getComputedStyle(el).backgroundColor)) !== 'rgb(15, 118, 110)')
      throw new Error('the badge is not in the brand colour')
    await page.getByTestId('logo-input').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: LOGO_SVG })
    // The preview shows the chosen logo at once; wait for the server to take it.
    const logoSaved = page.waitForResponse((r) => r.url().endsWith('/organizations/current') && r.request().method() === 'PATCH')
    await page.getByRole('button', { name: 'Save' }).click()
    const res = await logoSaved
    if (res.status() !== 200) throw new Error(`saving the logo answered ${res.status()}: ${await res.text()}`)
    await page.getByTestId('workspace-logo').first().waitFor()
    const org = await api.call('GET', '/organizations/current', opts)
    if (
      org.name !== 'Daily Studio' ||
      org.default_currency !== 'EUR' ||
      org.brand_color !== '#0f766e' ||
      !org.logo?.startsWith('data:image/svg+xml')
    )
      throw new Error(JSON.stringify({ ...org, logo: org.logo?.slice(0, 30) }))
    // The board counts in euros now: an empty column says €0.
    await page.goto('/pipeline')
    await column(page, 'Negotiation').getByTestId('stage-total').filter({ hasText: '€0' }).waitFor()
    // A teammate sees the new name and logo too.
    await matePage.goto('/pipeline')
    await matePage.getByTestId('org-name').filter({ hasText: 'Daily Studio' }).waitFor()
    await matePage.getByTestId('workspace-logo').first().waitFor()
  })

  await t.test(
    'deal page: back to the filtered board, contact shown and changed, stage bar, Won, Reopen, Lost with its reason, tags',
    async () => {
      await page.goto('/pipeline?owner=me')
      await cardById(page, leads.acme.id).getByRole('link').click()
      await page.getByTestId('lead-title').filter({ hasText: 'Acme rebrand' }).waitFor()
      const back = page.getByTestId('back-link')
      if (!(await back.getAttribute('href')).endsWith('/pipeline?owner=me'))
        throw new Error(`back goes to ${await back.getAttribute('href')}`)
      await back.filter({ hasText: 'Back to Pipeline' }).waitFor()
      // The contact, linked; then changed in place.
      await page.getByTestId('lead-contact-link').filter({ hasText: 'Diego Ramos' }).waitFor()
      await pick(page, page.getByRole('combobox', { name: 'Edit Contact' }), 'Fernanda Alves')
      await eventually(async () => {
        if ((await getLead(leads.acme.id)).contact_id !== w.fernanda.id) throw new Error('contact not saved')
      })
      await page.getByTestId('lead-contact-link').filter({ hasText: 'Fernanda Alves' }).waitFor()
      // The inbound WhatsApp message is the contact's, not the member's who logged it.
      const inbound = page.getByTestId('timeline').locator('li', { hasText: 'Can we move the kickoff to Friday?' })
      await inbound.getByTestId('timeline-from').waitFor()
      // A click on a stage of the bar (the mouse moves there) moves the deal.
      const proposal = page.getByTestId('stage-bar').getByRole('button', { name: 'Proposal' })
      const pb = await proposal.boundingBox()
      await page.mouse.move(pb.x + pb.width / 2, pb.y + pb.height / 2, { steps: 8 })
      await page.mouse.click(pb.x + pb.width / 2, pb.y + pb.height / 2)
      await page.getByTestId('stage-bar').locator('[aria-current="step"]', { hasText: 'Proposal' }).waitFor()
      if ((await getLead(leads.acme.id)).stage_id !== stage('Proposal').id) throw new Error('the stage bar did not move the lead')
      // Won, then reopened, then lost with a reason.
      await page.getByTestId('mark-won').click()
      await page.getByText('“Acme rebrand” won').waitFor()
      if ((await getLead(leads.acme.id)).status !== 'won') throw new Error('not won')
      await page.getByTestId('reopen').click()
      await page.getByTestId('mark-lost').waitFor()
      await eventually(async () => {
        if ((await getLead(leads.acme.id)).status !== 'open') throw new Error('not reopened')
      })
      await page.getByTestId('mark-lost').click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Lost reason').fill('Chose an in-house team')
      await dialog.getByRole('button', { name: 'Close deal' }).click()
      await page.getByText('“Acme rebrand” marked lost').waitFor()
      const lost = await getLead(leads.acme.id)
      if (lost.status !== 'lost' || lost.lost_reason !== 'Chose an in-house team') throw new Error(JSON.stringify(lost))
      // A new tag, typed into the picker.
      await page.getByTestId('record-tags').getByRole('button', { name: 'Add tag' }).click()
      await page.getByTestId('tag-picker').locator('[cmdk-input]').fill('priority')
      await page.getByTestId('tag-picker').getByRole('option', { name: 'Create “priority”' }).click()
      await page.keyboard.press('Escape')
      await page.getByTestId('record-tags').getByText('priority').waitFor()
      await eventually(async () => {
        const tags = (await getLead(leads.acme.id)).tags
        if (!tags.includes('priority') || !tags.includes('vip')) throw new Error(`tags are ${tags}`)
      })
    },
  )

  await t.test('deal page: a comment shows once (in its card, not again in the timeline); delete asks, then goes back', async () => {
    await page.goto(`/leads/${leads.initech.id}`)
    const comments = page.getByTestId('record-comments')
    await comments.getByLabel('Write a comment').fill('Shown only in the comments card')
    await comments.getByRole('button', { name: 'Comment' }).click()
    await comments.getByText('Shown only in the comments card').waitFor()
    // The timeline has reloaded since (the comment was added to it on the server).
    await page.reload()
    await comments.getByText('Shown only in the comments card').waitFor()
    await page.getByTestId('timeline-section').waitFor()
    await page.waitForTimeout(500)
    if ((await page.getByTestId('timeline-section').getByText('Shown only in the comments card').count()) !== 0)
      throw new Error('the comment shows in the timeline too')
    await page.goto('/leads?sort=title')
    await rowOf(page, 'Umbrella ads').getByTestId('row-link').click()
    await page.getByTestId('lead-title').filter({ hasText: 'Umbrella ads' }).waitFor()
    await page.getByRole('button', { name: 'Delete lead' }).click()
    await page.getByRole('dialog').getByText('Delete “Umbrella ads”?').waitFor()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete lead' }).click()
    await page.waitForURL(/\/leads\?sort=title$/)
    await page.getByText('Lead “Umbrella ads” deleted').waitFor()
    const gone = await fetch(`${new URL(page.url()).origin}/api/v1/leads/${leads.umbrella.id}`, {
      headers: { authorization: `Bearer ${opts.token}`, 'x-org-id': opts.org },
    })
    if (gone.status !== 404) throw new Error(`the deleted lead answers ${gone.status}`)
  })

  await t.test('deal page: follow and unfollow; a manager adds a teammate as a follower and removes them', async () => {
    const followers = async () => (await api.call('GET', `/leads/${leads.globex.id}/followers`, opts)).data.map((f) => f.user_id).sort()
    await page.goto(`/leads/${leads.globex.id}`)
    const box = page.getByTestId('lead-followers')
    await box.getByText('Nobody follows this deal.').waitFor()
    await box.getByTestId('follow-toggle').filter({ hasText: 'Follow' }).click()
    await box.getByTestId('follower').filter({ hasText: 'Olivia Owner' }).waitFor()
    await box.getByTestId('follow-toggle').filter({ hasText: 'Unfollow' }).waitFor()
    await box.getByTestId('add-follower').selectOption({ label: 'Mateus Mate' })
    await box.getByTestId('follower').filter({ hasText: 'Mateus Mate' }).waitFor()
    const both = [w.ownerId, w.mateId].sort().join()
    await eventually(async () => {
      if ((await followers()).join() !== both) throw new Error(`followers are ${await followers()}`)
    })
    // The teammate heard they were added.
    const mateNotes = await api.call('GET', '/notifications', w.mateOpts)
    if (!mateNotes.data.some((n) => /added you as a follower/.test(n.title)))
      throw new Error(`the teammate's notifications: ${JSON.stringify(mateNotes.data.map((n) => n.title))}`)
    await page.reload()
    await box.getByTestId('follower').nth(1).waitFor()
    await box.getByRole('button', { name: 'Stop Mateus Mate following this deal' }).click()
    await box.getByTestId('follower').filter({ hasText: 'Mateus Mate' }).waitFor({ state: 'detached' })
    await box.getByTestId('follow-toggle').filter({ hasText: 'Unfollow' }).click()
    await box.getByText('Nobody follows this deal.').waitFor()
    await eventually(async () => {
      if ((await followers()).length) throw new Error(`followers are ${await followers()}`)
    })
  })

  let viewId
  await t.test('saved views: filters, sort and columns saved as a shared view, reopened, and seen by a teammate', async () => {
    await page.goto('/leads')
    await rowOf(page, 'Globex website').waitFor()
    await page.getByTestId('add-filter').click()
    await page.getByLabel('Field').selectOption({ label: 'Status' })
    await page.getByLabel('Condition').selectOption({ label: 'is' })
    await page.getByLabel('Value', { exact: true }).selectOption({ label: 'Open' })
    await page.getByRole('button', { name: 'Apply filter' }).click()
    await page.waitForURL(/status%5Beq%5D=open|status\[eq\]=open/)
    await page.getByRole('button', { name: 'Value', exact: true }).click()
    await page.waitForURL(/sort=estimated_value/)
    await page.getByTestId('column-chooser').click()
    await page.getByRole('checkbox', { name: 'Company' }).uncheck()
    await page.keyboard.press('Escape')
    await page.getByTestId('views-menu').click()
    await page.getByTestId('save-view').click()
    const dialog = page.getByTestId('save-view-dialog')
    await dialog.getByLabel('Name').fill('Open by value')
    await dialog.getByLabel('Share with the team').check()
    await dialog.getByRole('button', { name: 'Save view' }).click()
    await page.waitForURL(/view=/)
    viewId = new URL(page.url()).searchParams.get('view')
    const saved = await api.call('GET', `/views/${viewId}`, opts)
    if (
      !saved.shared ||
      !saved.query.includes('status') ||
      !saved.query.includes('sort=estimated_value') ||
      saved.columns.includes('company')
    )
      throw new Error(JSON.stringify(saved))
    // Back to all leads, then the view again from the menu: filters, sort and columns return.
    await page.getByTestId('views-menu').click()
    await page.getByRole('menuitem', { name: 'All leads' }).click()
    await page.waitForURL((u) => !u.search.includes('status'))
    await page.getByRole('columnheader', { name: 'Company' }).waitFor()
    await page.getByTestId('views-menu').click()
    await page.getByRole('menuitem', { name: 'Open by value' }).click()
    await page.waitForURL(/view=/)
    if (!page.url().includes('sort=estimated_value')) throw new Error(`the view opened ${page.url()}`)
    await page.getByRole('columnheader', { name: 'Company' }).waitFor({ state: 'detached' })
    if ((await rowOf(page, 'Lost pitch').count()) !== 0) throw new Error('the status filter was not restored')
    // A change marks the view edited until saved.
    await page.getByRole('button', { name: 'Value', exact: true }).click()
    await page.getByTestId('view-modified').waitFor()
    // The teammate finds it under the shared views.
    await matePage.goto('/leads')
    await matePage.getByTestId('views-menu').click()
    await matePage.getByRole('menuitem', { name: 'Open by value' }).click()
    await matePage.waitForURL(new RegExp(`view=${viewId}`))
    await matePage.getByRole('columnheader', { name: 'Company' }).waitFor({ state: 'detached' })
  })

  await t.test('lists: a row is a link — the middle button and Ctrl-click open it in a new tab', async () => {
    await page.goto('/leads?sort=title')
    const row = rowOf(page, 'Globex website')
    await row.waitFor()
    // The status cell, not the name link: the row itself answers.
    const cell = row.getByRole('cell').filter({ hasText: /^Open$/ })
    const b = await cell.boundingBox()
    const middle = ctx.waitForEvent('page')
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 })
    await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2, { button: 'middle' })
    const tab = await middle
    await tab.waitForURL(`**/leads/${leads.globex.id}`)
    await tab.getByTestId('lead-title').filter({ hasText: 'Globex website' }).waitFor()
    await tab.close()
    const ctrl = ctx.waitForEvent('page')
    await cell.click({ modifiers: ['Control'] })
    const tab2 = await ctrl
    await tab2.waitForURL(`**/leads/${leads.globex.id}`)
    await tab2.close()
    if (!page.url().endsWith('/leads?sort=title')) throw new Error('the list page navigated away')
    // The name is a real link.
    const href = await row.getByTestId('row-link').getAttribute('href')
    if (!href.endsWith(`/leads/${leads.globex.id}`)) throw new Error(`the name links to ${href}`)
  })

  await t.test('bulk edit: owner, then stage, on several rows; every row read back, a stale one named with why', async () => {
    await page.goto('/leads?sort=title&q=bulk')
    const names = ['Bulk alpha', 'Bulk beta', 'Bulk gamma']
    await rowOf(page, 'Bulk gamma').waitFor()
    for (const n of names) await rowOf(page, n).getByRole('checkbox', { name: 'Select row' }).click()
    await page.getByTestId('bulk-bar').getByText('3 selected').waitFor()
    await page.getByTestId('bulk-edit').click()
    let dialog = page.getByTestId('bulk-edit-dialog')
    await dialog.getByTestId('bulk-field').selectOption({ label: 'Owner' })
    await dialog.getByTestId('bulk-value').selectOption({ label: 'Mateus Mate' })
    await dialog.getByTestId('bulk-apply').click()
    await dialog.getByTestId('bulk-updated').filter({ hasText: '3 records changed' }).waitFor()
    await dialog.getByTestId('bulk-done').click()
    for (const n of names) if ((await getLead(leads[n].id)).assigned_to !== w.mateId) throw new Error(`${n} has another owner`)
    // Someone changes one row while the edit is open: that row is refused (412) and named.
    await rowOf(page, 'Bulk gamma').getByText('Mateus Mate').waitFor()
    for (const n of names) await rowOf(page, n).getByRole('checkbox', { name: 'Select row' }).click()
    await page.getByTestId('bulk-edit').click()
    dialog = page.getByTestId('bulk-edit-dialog')
    await dialog.getByTestId('bulk-field').selectOption({ label: 'Stage' })
    await dialog.getByTestId('bulk-value').selectOption({ label: 'Proposal' })
    const beta = await getLead(leads['Bulk beta'].id)
    await api.call('PATCH', `/leads/${beta.id}`, { ...opts, headers: { 'if-match': `"${beta.version}"` }, body: { probability: 35 } })
    await dialog.getByTestId('bulk-apply').click()
    await dialog.getByTestId('bulk-updated').filter({ hasText: '2 records changed' }).waitFor()
    const failure = dialog.getByTestId('bulk-failure')
    await failure.filter({ hasText: 'Bulk beta' }).filter({ hasText: 'Changed by someone else' }).waitFor()
    await dialog.getByTestId('bulk-done').click()
    const proposal = stage('Proposal').id
    if ((await getLead(leads['Bulk alpha'].id)).stage_id !== proposal) throw new Error('alpha did not move')
    if ((await getLead(leads['Bulk gamma'].id)).stage_id !== proposal) throw new Error('gamma did not move')
    if ((await getLead(leads['Bulk beta'].id)).stage_id === proposal) throw new Error('the stale row moved anyway')
  })

  await t.test('lists: a cell edited in place (double-click, type, Enter) is saved with If-Match', async () => {
    await page.goto('/leads?sort=title')
    const cell = rowOf(page, 'Globex website').getByTestId('editable-cell').first()
    await cell.dblclick()
    const input = page.getByLabel('Value of Globex website')
    await input.fill('7250')
    await input.press('Enter')
    await rowOf(page, 'Globex website').getByText('$7,250').waitFor()
    await eventually(async () => {
      if ((await getLead(leads.globex.id)).estimated_value !== 7250) throw new Error('not saved')
    })
    // A select cell: the owner, chosen from the list.
    await page.getByRole('button', { name: 'Edit Owner of Globex website' }).click()
    await page.getByLabel('Owner of Globex website').selectOption({ label: 'Olivia Owner' })
    await eventually(async () => {
      if ((await getLead(leads.globex.id)).assigned_to !== w.ownerId) throw new Error('owner not saved')
    })
  })

  await t.test('notifications: a teammate’s @mention → the bell counts it → the list → the record → read', async () => {
    await page.goto('/pipeline')
    await page.getByTestId('notification-bell').waitFor()
    if ((await page.getByTestId('unread-count').count()) !== 0) throw new Error('unread notifications before any mention')
    // The teammate mentions the owner, typing on right after choosing (the text must not scramble).
    await matePage.goto(`/leads/${leads.initech.id}`)
    const comments = matePage.getByTestId('record-comments')
    const box = comments.getByLabel('Write a comment')
    await box.click()
    await box.pressSequentially('Please check @oli', { delay: 20 })
    await comments.getByRole('option', { name: 'Olivia Owner' }).waitFor()
    await box.press('Enter')
    await box.pressSequentially('before Friday, thanks', { delay: 5 })
    const typed = await box.inputValue()
    if (typed !== 'Please check @Olivia Owner before Friday, thanks') throw new Error(`the comment box reads "${typed}"`)
    await comments.getByRole('button', { name: 'Comment' }).click()
    await comments.locator('li', { hasText: 'before Friday, thanks' }).waitFor()
    // Live: the bell counts it without a reload.
    await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor({ timeout: 10_000 })
    await page.getByTestId('notification-bell').click()
    const item = page.getByTestId('notifications').getByTestId('notification').first()
    await item.filter({ hasText: 'Mateus Mate mentioned you on Initech SEO' }).waitFor()
    await item.getByRole('link').click()
    await page.waitForURL(new RegExp(`/leads/${leads.initech.id}#comment-`))
    await page.getByTestId('record-comments').getByText('before Friday, thanks').waitFor()
    await page.getByTestId('unread-count').waitFor({ state: 'detached' })
    await eventually(async () => {
      const n = await api.call('GET', '/notifications/unread-count', opts)
      if (n.count !== 0) throw new Error(`${n.count} unread`)
    })
  })

  await t.test('comments: a mention picked with the mouse, then typing on, keeps the words in order', async () => {
    await page.goto(`/leads/${leads.initech.id}`)
    const comments = page.getByTestId('record-comments')
    const box = comments.getByLabel('Write a comment')
    await box.click()
    await page.keyboard.type('Hey @', { delay: 20 })
    await comments.getByRole('option', { name: 'Mateus Mate' }).click()
    await page.keyboard.type('please look at this before Friday', { delay: 5 })
    const typed = await box.inputValue()
    if (typed !== 'Hey @Mateus Mate please look at this before Friday') throw new Error(`the comment box reads "${typed}"`)
    await box.fill('')
  })

  await t.test('project page: the task table scrolls inside its card on a phone; the page itself does not scroll sideways', async () => {
    const project = await api.call('POST', '/projects', {
      ...opts,
      body: { name: 'Phone project', status: 'in_progress', assignee_ids: [], tags: [] },
    })
    await api.call('POST', '/tasks', {
      ...opts,
      body: { name: 'A task with a due date', project_id: project.id, due_date: new Date(Date.now() + DAY).toISOString(), tags: [] },
    })
    const phone = await signedInContext(newContext, w.owner, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const p = await phone.newPage()
    await p.goto(`/projects/${project.id}`)
    await p.getByTestId('project-task').first().waitFor()
    const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
    if (scroll > client) throw new Error(`the page is ${scroll}px wide on a ${client}px phone`)
    await phone.close()
  })

  await t.test(
    'feedback: sent from the user menu with a screenshot taken in the browser; an admin reads it and sees the image',
    async () => {
      await matePage.goto('/pipeline')
      await column(matePage, 'Lead').waitFor()
      await matePage.getByTestId('user-menu').click()
      await matePage.getByTestId('open-feedback').click()
      const dialog = matePage.getByTestId('feedback-dialog')
      await dialog.getByRole('radio', { name: 'Idea' }).click()
      await dialog.getByLabel('What happened?').fill('A weekly digest of my deals would help.')
      await dialog.getByTestId('feedback-shot').waitFor({ timeout: 15_000 })
      await dialog.getByTestId('feedback-send').click()
      await matePage.getByText('Thanks! Your feedback was sent.').waitFor()
      const list = await api.call('GET', '/feedback', opts)
      const sent = list.data.find((f) => f.message === 'A weekly digest of my deals would help.')
      if (!sent || sent.category !== 'idea' || !sent.has_screenshot || sent.page !== '/pipeline' || sent.user_id !== w.mateId)
        throw new Error(JSON.stringify(list.data))
      // A manager is not an admin: no feedback page for them.
      await matePage.goto('/settings/feedback')
      await matePage.getByText('Only owners and admins read the feedback.').waitFor()
      // The owner reads it, screenshot included.
      await page.goto('/settings/feedback')
      const item = page.getByTestId('feedback-item').filter({ hasText: 'A weekly digest of my deals would help.' })
      await item.getByText('Mateus Mate').waitFor()
      await item.getByTestId('feedback-view-shot').click()
      const img = page.getByTestId('feedback-shot-full')
      await img.waitFor()
      await eventually(async () => {
        if (!(await img.evaluate((el) => el.complete && el.naturalWidth > 100))) throw new Error('the screenshot did not load')
      })
      await page.keyboard.press('Escape')
    },
  )

  await t.test('tasks: Overdue, Today, Upcoming and Done groups with due times; a new task with a time; a real empty state', async () => {
    await page.goto('/tasks')
    await page.getByTestId('task-group-overdue').getByText('Call Diego about the brief').waitFor()
    await page.getByTestId('task-group-today').getByText('Send the Initech proposal').waitFor()
    await page.getByTestId('task-group-upcoming').getByText('Plan the kickoff').waitFor()
    // A new task due at 16:30 tomorrow: its time is kept.
    await page.getByTestId('new-task').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Task').fill('Review the contract')
    const tomorrow = new Date(Date.now() + DAY)
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`
    await dialog.getByLabel('Due', { exact: true }).fill(day)
    await dialog.getByLabel('Time').fill('16:30')
    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    const row = page.getByTestId('task-group-upcoming').getByTestId('task-row').filter({ hasText: 'Review the contract' })
    await row.waitFor()
    await row.getByText(/4:30\s?PM/).waitFor()
    const saved = (await api.call('GET', '/tasks?name[eq]=Review the contract', opts)).data[0]
    const at = new Date(saved.due_date)
    if (at.getHours() !== 16 || at.getMinutes() !== 30) throw new Error(`due ${saved.due_date}`)
    // Ticking the overdue one moves it to Done.
    await page.getByTestId('task-group-overdue').getByRole('checkbox', { name: 'Mark “Call Diego about the brief” done' }).click()
    await page.getByTestId('task-group-overdue').waitFor({ state: 'detached' })
    await page.getByTestId('task-group-done').getByRole('button', { name: /Done/ }).click()
    await page.getByTestId('task-group-done').getByText('Call Diego about the brief').waitFor()
    // The teammate has none: a real empty state with a way forward.
    await matePage.goto('/tasks')
    await matePage.getByTestId('tasks-empty').getByText('No tasks for you yet').waitFor()
    await matePage.getByTestId('tasks-empty').getByTestId('new-task-empty').waitFor()
  })

  await t.test('command palette: new contact, go to settings, switch organization — not only search', async () => {
    await page.goto('/pipeline')
    await column(page, 'Lead').waitFor()
    await page.keyboard.press('Control+k')
    const palette = page.getByTestId('command-palette')
    await palette.locator('[cmdk-input]').fill('new cont')
    await palette.getByRole('option', { name: 'New contact' }).click()
    const dialog = page.getByTestId('new-contact-dialog')
    await dialog.getByLabel('Name').fill('Paula Palette')
    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    await page.waitForURL(/\/contacts\/[0-9a-f-]+$/)
    await page.getByTestId('record-title').filter({ hasText: 'Paula Palette' }).waitFor()
    await page.keyboard.press('Control+k')
    await palette.locator('[cmdk-input]').fill('workspace')
    await palette.getByRole('option', { name: 'Workspace' }).click()
    await page.waitForURL(/\/settings\/workspace$/)
    // The teammate belongs to two organizations: the palette switches.
    await matePage.goto('/pipeline')
    await column(matePage, 'Lead').waitFor()
    await matePage.keyboard.press('Control+k')
    await matePage.getByTestId('command-palette').locator('[cmdk-input]').fill('switch')
    await matePage
      .getByTestId('command-palette')
      .getByRole('option', { name: /^Switch to / })
      .click()
    await matePage.getByTestId('org-name').filter({ hasNotText: 'Daily Studio' }).waitFor()
  })

  await t.test('first run: a new organization’s dashboard lists invite, import and connect; done steps are ticked', async () => {
    const fresh = sessionOf(await api.register(`daily-new-${uniq}@example.com`, 'Nina New', 'Brand New Co'))
    const c = await signedInContext(newContext, fresh)
    const p = await c.newPage()
    await p.goto('/')
    const card = p.getByTestId('onboarding')
    await card.getByText('Get your workspace going').waitFor()
    await card.getByText('0 of 3 done').waitFor()
    await api.call('POST', '/contacts', { token: fresh.session.access, org: fresh.org, body: { name: 'First contact', tags: [] } })
    await p.reload()
    await card.getByText('1 of 3 done').waitFor()
    if ((await p.getByTestId('onboarding-import').getAttribute('data-done')) !== 'true') throw new Error('import not ticked')
    await p.getByTestId('onboarding-invite').click()
    await p.waitForURL(/\/settings\/team$/)
    await p.goto('/')
    await card.getByRole('button', { name: 'Hide these first steps' }).click()
    await card.waitFor({ state: 'detached' })
    await p.reload()
    await p.getByTestId('dashboard').waitFor()
    if ((await p.getByTestId('onboarding').count()) !== 0) throw new Error('the dismissed checklist came back')
    await c.close()
  })

  await ctx.close()
  await mateCtx.close()
}

/** Screenshots of every page this flow changed: light, dark and a phone. */
export async function dailyShots({ api, uniq, newContext, shot }) {
  const w = await seed(api, `${uniq}s`)
  const { opts, leads } = w
  await api.call('POST', '/comments', {
    ...w.mateOpts,
    body: { body: 'Can you check this, @Olivia Owner?', lead_id: leads.acme.id, mentions: [w.ownerId] },
  })
  await api.call('POST', '/views', {
    ...opts,
    body: { name: 'Hot deals', entity_type: 'leads', query: 'tags=hot&sort=-estimated_value', columns: [], shared: true },
  })
  await api.call('POST', '/feedback', {
    ...w.mateOpts,
    body: { category: 'bug', message: 'The export button does nothing on Safari.', page: '/leads' },
  })
  const project = await api.call('POST', '/projects', {
    ...opts,
    body: { name: 'Acme website relaunch', status: 'in_progress', assignee_ids: [], tags: [] },
  })
  for (const [i, name] of ['Wireframes for the new home page and the pricing pages', 'Visual design', 'Content migration'].entries())
    await api.call('POST', '/tasks', {
      ...opts,
      body: {
        name,
        project_id: project.id,
        assignee_id: w.ownerId,
        due_date: new Date(Date.now() + (i + 1) * DAY).toISOString(),
        tags: [],
      },
    })
  const setTheme = (theme) => api.call('PATCH', '/users/me/preferences', { ...opts, body: { theme } })
  for (const [theme, viewport, suffix] of [
    ['light', { width: 1440, height: 900 }, 'light'],
    ['dark', { width: 1440, height: 900 }, 'dark'],
    ['light', { width: 375, height: 812 }, 'mobile'],
  ]) {
    await setTheme(theme)
    const mobile = suffix === 'mobile'
    const ctx = await signedInContext(newContext, w.owner, mobile ? { viewport, isMobile: true, hasTouch: true } : { viewport })
    const p = await ctx.newPage()
    await p.goto('/pipeline?owner=me')
    await column(p, 'Lead').waitFor()
    await shot(p, `daily-board-${suffix}`)
    await p.goto(`/leads/${leads.acme.id}`)
    await p.getByTestId('timeline').waitFor()
    await shot(p, `daily-deal-${suffix}`, { fullPage: !mobile })
    await p.goto('/leads')
    await rowOf(p, 'Globex website').waitFor()
    await p.getByTestId('views-menu').click()
    await p.getByRole('menuitem', { name: 'Hot deals' }).waitFor()
    await shot(p, `daily-views-${suffix}`)
    await p.keyboard.press('Escape')
    for (const n of ['Bulk alpha', 'Bulk beta']) await rowOf(p, n).getByRole('checkbox', { name: 'Select row' }).click()
    await p.getByTestId('bulk-edit').click()
    await p.getByTestId('bulk-edit-dialog').waitFor()
    await shot(p, `daily-bulk-${suffix}`)
    await p.keyboard.press('Escape')
    await p.goto('/tasks')
    await p.getByTestId('task-agenda').waitFor()
    await shot(p, `daily-tasks-${suffix}`)
    await p.goto(`/projects/${project.id}`)
    await p.getByTestId('project-task').first().waitFor()
    await shot(p, `daily-project-${suffix}`)
    await p.goto('/pipeline')
    await column(p, 'Lead').waitFor()
    await p.getByTestId('notification-bell').click()
    await p.getByTestId('notification').first().waitFor()
    await shot(p, `daily-notifications-${suffix}`)
    await p.keyboard.press('Escape')
    await p.goto('/settings/workspace')
    await p.getByLabel('Organization name').waitFor()
    await shot(p, `daily-workspace-${suffix}`)
    await p.goto('/settings/feedback')
    await p.getByTestId('feedback-item').first().waitFor()
    await shot(p, `daily-feedback-admin-${suffix}`)
    await p.getByTestId('user-menu').click()
    await p.getByTestId('open-feedback').click()
    await p.getByTestId('feedback-shot').waitFor({ timeout: 15_000 })
    await shot(p, `daily-feedback-${suffix}`)
    await p.keyboard.press('Escape')
    await p.goto('/contacts')
    await p.getByTestId('new-contact').first().click()
    await p.getByTestId('new-contact-dialog').waitFor()
    await shot(p, `daily-new-contact-${suffix}`)
    await p.keyboard.press('Escape')
    await p.goto('/')
    await p.getByTestId('dashboard').waitFor()
    await p.keyboard.press('Control+k')
    await p.getByTestId('command-palette').waitFor()
    await shot(p, `daily-palette-${suffix}`)
    await p.keyboard.press('Escape')
    await ctx.close()
  }
  // The first-run checklist and the unverified banner, on a new organization.
  const fresh = sessionOf(await api.register(`daily-shots-new-${uniq}@example.com`, 'Nina New', 'Brand New Co'))
  for (const [viewport, suffix] of [
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 375, height: 812 }, 'mobile'],
  ]) {
    const ctx = await signedInContext(newContext, fresh, { viewport })
    const p = await ctx.newPage()
    await p.goto('/')
    await p.getByTestId('onboarding').waitFor()
    await shot(p, `daily-onboarding-${suffix}`)
    await ctx.close()
  }
  await setTheme('light')
}
