// README promises that had no browser test: won/lost closing by mouse (lost
// and cancel), stage reordering by mouse, the 412 rollback against the real
// server, and search (Ctrl-K and GET /search) by type, without accents and
// within what a `sales` member may see. Every effect is read back through the API.
import { eventually } from '../harness.mjs'
import { humanDrag } from './board.mjs'
import { sessionOf, signedInContext } from './session.mjs'

const column = (p, name) => p.locator(`[data-testid="board-column"][data-stage-name="${name}"]`)
const cardById = (p, id) => p.locator(`[data-testid="lead-card"][data-lead-id="${id}"]`)
/** Lead ids a column shows, top to bottom. */
const columnIds = (p, name) =>
  column(p, name)
    .getByTestId('lead-card')
    .evaluateAll((els) => els.map((e) => e.dataset.leadId))
const isStageMove = (r, id) => r.url().includes(`/leads/${id}/stage`) && r.request().method() === 'PATCH'

/**
 * Where a hand grabs a card: its middle, in its upper part, once the card is
 * what is under that point (a drop animates the dragged copy back over the
 * board for a moment; a hand waits for it).
 */
async function grip(locator) {
  return eventually(async () => {
    const b = await locator.boundingBox()
    if (!b) throw new Error('the card is not visible')
    const at = { x: b.x + b.width / 2, y: b.y + Math.min(20, b.height / 2) }
    const onTop = await locator.evaluate((el, { x, y }) => el.contains(document.elementFromPoint(x, y)), at)
    if (!onTop) throw new Error('something covers the card')
    return at
  })
}

/** The upper part of a column, below its header: where a card is dropped. */
const intoColumn = (p, name) => async () => {
  const b = await column(p, name).boundingBox()
  const right = Math.min(b.x + b.width, p.viewportSize().width) - 16
  if (right < b.x + 16) throw new Error(`the ${name} column is out of view`)
  return { x: Math.min(b.x + b.width / 2, right), y: b.y + Math.min(140, b.height / 2) }
}

/** Drags a sortable row by its handle with the mouse, 4 px at a time, onto the handle of another row. */
async function dragRow(page, handle, onto) {
  const a = await handle.boundingBox()
  const b = await onto.boundingBox()
  const [sx, sy] = [a.x + a.width / 2, a.y + a.height / 2]
  const [tx, ty] = [b.x + b.width / 2, b.y + b.height / 2]
  await page.mouse.move(sx, sy)
  await page.mouse.down()
  const steps = Math.max(6, Math.ceil(Math.hypot(tx - sx, ty - sy) / 4))
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(sx + ((tx - sx) * i) / steps, sy + ((ty - sy) * i) / steps)
    await page.waitForTimeout(12)
  }
  await page.waitForTimeout(150)
  await page.mouse.up()
}

export async function gapTests({ t, api, uniq, newContext }) {
  const owner = sessionOf(await api.register(`gaps-${uniq}@example.com`, 'Gabriela Gaps', 'Gaps Agency'))
  const opts = { token: owner.session.access, org: owner.org }
  const pipeline = (await api.call('GET', '/pipelines', opts)).data.find((p) => p.is_default)
  const stage = (name) => pipeline.stages.find((s) => s.name === name)
  const newLead = (full_name, stageName, extra = {}) =>
    api.call('POST', '/leads', { ...opts, body: { full_name, stage_id: stage(stageName).id, estimated_value: 1000, tags: [], ...extra } })
  const getLead = (id) => api.call('GET', `/leads/${id}`, opts)

  const ctx = await signedInContext(newContext, owner)
  const page = await ctx.newPage()
  const openBoard = async (p = page) => {
    await p.goto('/pipeline')
    await column(p, 'Lead').waitFor()
  }

  await t.test('board: a card dropped on Closed with the mouse and closed as Lost is saved lost, with its reason, in Closed', async () => {
    const lead = await newLead('Lost cause rebrand', 'Lead')
    await openBoard()
    const card = cardById(page, lead.id)
    await card.waitFor()
    await humanDrag(page, await grip(card), { to: intoColumn(page, 'Closed'), slow: true })
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Close “Lost cause rebrand”').waitFor()
    await dialog.getByRole('radio', { name: 'Lost' }).click()
    const confirm = dialog.getByRole('button', { name: 'Close deal' })
    if (!(await confirm.isDisabled())) throw new Error('a lost deal can be closed without a reason')
    const reason = 'Went with a cheaper agency'
    await dialog.getByLabel('Lost reason').fill(reason)
    const saved = page.waitForResponse((r) => isStageMove(r, lead.id))
    await confirm.click()
    const res = await saved
    if (res.status() !== 200) throw new Error(`the closing move answered ${res.status()}: ${await res.text()}`)
    await dialog.waitFor({ state: 'detached' })
    await cardById(column(page, 'Closed'), lead.id).waitFor()
    const after = await getLead(lead.id)
    if (after.status !== 'lost') throw new Error(`status is ${after.status}`)
    if (after.lost_reason !== reason) throw new Error(`lost reason is ${JSON.stringify(after.lost_reason)}`)
    if (after.stage_id !== stage('Closed').id) throw new Error(`stage is ${after.stage_id}, not Closed`)
    if (!after.closed_at) throw new Error('closed_at is not set')
    await page.reload()
    await cardById(column(page, 'Closed'), lead.id).waitFor()
  })

  await t.test('board: Cancel in the won/lost dialog puts the card back where it was, and nothing is saved', async () => {
    const leads = []
    for (const name of ['Proposal first', 'Proposal second', 'Proposal third']) leads.push(await newLead(name, 'Proposal'))
    const moving = leads[1]
    await openBoard()
    await cardById(page, leads[2].id).waitFor()
    const orderBefore = await columnIds(page, 'Proposal')
    if (orderBefore.indexOf(moving.id) !== 1) throw new Error(`Proposal shows ${orderBefore.join(', ')}`)
    const before = await getLead(moving.id)
    const moves = []
    const onRequest = (r) => {
      if (r.url().includes(`/leads/${moving.id}`) && r.method() !== 'GET') moves.push(`${r.method()} ${r.url()}`)
    }
    page.on('request', onRequest)
    await humanDrag(page, await grip(cardById(page, moving.id)), { to: intoColumn(page, 'Closed') })
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Close “Proposal second”').waitFor()
    // While the outcome is asked, the card is shown where it was dropped.
    await cardById(column(page, 'Closed'), moving.id).waitFor()
    await dialog.getByRole('radio', { name: 'Lost' }).click()
    await dialog.getByLabel('Lost reason').fill('Changed my mind')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    await cardById(column(page, 'Proposal'), moving.id).waitFor()
    if ((await cardById(column(page, 'Closed'), moving.id).count()) !== 0) throw new Error('the card stayed in Closed')
    const orderAfter = await columnIds(page, 'Proposal')
    if (orderAfter.join() !== orderBefore.join()) throw new Error(`Proposal was ${orderBefore.join(', ')}, now ${orderAfter.join(', ')}`)
    await page.waitForTimeout(500)
    page.off('request', onRequest)
    if (moves.length) throw new Error(`the cancelled move was sent: ${moves.join(', ')}`)
    const after = await getLead(moving.id)
    for (const k of ['stage_id', 'position', 'status', 'version', 'lost_reason'])
      if (after[k] !== before[k]) throw new Error(`${k} changed from ${before[k]} to ${after[k]}`)
    await page.reload()
    await cardById(column(page, 'Proposal'), moving.id).waitFor()
    if ((await columnIds(page, 'Proposal')).join() !== orderBefore.join()) throw new Error('the order changed after reload')
  })

  /**
   * After a refused move: the 412 came from the server, the card is back in
   * `stageName`, a toast says a teammate changed it, the board shows the
   * teammate's version, the server has the lead unmoved, and the same drag
   * then succeeds with the new version.
   */
  const expectRolledBack = async (p, res, lead, stageName, newTitle, to) => {
    if (res.status() !== 412) throw new Error(`the stale move answered ${res.status()}: ${await res.text()}`)
    const problem = await res.json()
    if (problem.code !== 'version_conflict') throw new Error(`problem: ${JSON.stringify(problem)}`)
    await p.getByText('Someone changed this lead first').waitFor()
    await p.getByText(/was updated by a teammate, so your move was undone/).waitFor()
    await cardById(column(p, stageName), lead.id).waitFor()
    if ((await cardById(column(p, to), lead.id).count()) !== 0) throw new Error(`the card stayed in ${to}`)
    await cardById(column(p, stageName), lead.id).filter({ hasText: newTitle }).waitFor()
    const server = await getLead(lead.id)
    if (server.stage_id !== stage(stageName).id) throw new Error(`the server moved the lead to ${server.stage_id}`)
    if (server.title !== newTitle || server.version !== lead.version + 1) throw new Error(`server has ${server.title} v${server.version}`)
    // The board now holds the latest version: the same drag goes through.
    const again = p.waitForResponse((r) => isStageMove(r, lead.id))
    await humanDrag(p, await grip(cardById(p, lead.id)), { to: intoColumn(p, to) })
    if ((await again).status() !== 200) throw new Error(`the second move answered ${(await again).status()}`)
    await cardById(column(p, to), lead.id).waitFor()
    await eventually(async () => {
      if ((await getLead(lead.id)).stage_id !== stage(to).id) throw new Error('the second move was not saved')
    })
  }

  await t.test(
    'board: 412 from the real server when the lead changed behind the board (its live socket silent) rolls the card back with a toast',
    async () => {
      const lead = await newLead('Contested retainer', 'Lead')
      const c2 = await signedInContext(newContext, owner)
      const p = await c2.newPage()
      // The board's socket connects but hears nothing, as one that missed the event.
      let sockets = 0
      await p.routeWebSocket(/\/api\/v1\/ws\?/, () => {
        sockets++
      })
      await openBoard(p)
      await cardById(column(p, 'Lead'), lead.id).waitFor()
      await eventually(() => {
        if (!sockets) throw new Error('the board opened no socket')
      })
      // A teammate renames the lead with the right If-Match: version 1 → 2.
      const current = await getLead(lead.id)
      const patched = await patchLead(api, opts, lead.id, current.version, { full_name: 'Contested retainer (renamed)' })
      if (patched.version !== lead.version + 1) throw new Error(`the rename made version ${patched.version}`)
      await p.waitForTimeout(500)
      // The board did not hear of it: it still shows the old title and holds version 1.
      if ((await cardById(p, lead.id).textContent()).includes('renamed'))
        throw new Error('the board refreshed: the drag would not be stale')
      const refused = p.waitForResponse((r) => isStageMove(r, lead.id))
      await humanDrag(p, await grip(cardById(p, lead.id)), { to: intoColumn(p, 'Proposal') })
      await expectRolledBack(p, await refused, lead, 'Lead', 'Contested retainer (renamed)', 'Proposal')
      await c2.close()
    },
  )

  await t.test('board: a teammate saves the lead while the card is held (live events wait); the drop gets 412 and rolls back', async () => {
    const lead = await newLead('Held while renamed', 'Contact')
    // The board's live socket, and what it hears.
    const frames = []
    const socket = page.waitForEvent('websocket', (ws) => {
      if (!ws.url().includes('/api/v1/ws')) return false
      ws.on('framereceived', (f) => frames.push(String(f.payload)))
      return true
    })
    await openBoard()
    await socket
    await eventually(() => {
      if (!frames.some((f) => f.includes('"ready"'))) throw new Error(`the live socket is not ready: ${frames.join(' ')}`)
    })
    const card = cardById(column(page, 'Contact'), lead.id)
    await card.waitFor()
    const refused = page.waitForResponse((r) => isStageMove(r, lead.id))
    const from = await grip(card)
    let heard = false
    // The hand rests just past the drag's start, card lifted, while the teammate saves.
    await humanDrag(page, from, {
      to: intoColumn(page, 'Proposal'),
      slow: true,
      edge: { x: from.x + 12, y: from.y + 6 },
      waitFor: async () => {
        if (!heard) {
          await patchLead(api, opts, lead.id, lead.version, { full_name: 'Held while renamed (teammate)' })
          // The teammate's change reaches the page, which holds it while the card is lifted.
          await eventually(() => {
            if (!frames.some((f) => f.includes(lead.id))) throw new Error('no live event for the change')
          })
          heard = true
        }
        return true
      },
    })
    await expectRolledBack(page, await refused, lead, 'Contact', 'Held while renamed (teammate)', 'Proposal')
  })

  await t.test('pipeline settings: stages reordered with the mouse, up and down, are saved in that order (GET /pipelines)', async () => {
    const names = ['Brief', 'Pitch', 'Review', 'Signed', 'Done']
    const created = await api.call('POST', '/pipelines', {
      ...opts,
      body: { name: 'Reorder by mouse', stages: names.map((name) => ({ name, kind: 'open' })) },
    })
    const savedOrder = async () =>
      (await api.call('GET', '/pipelines', opts)).data.find((x) => x.id === created.id).stages.map((s) => s.name)
    const shownOrder = () => page.getByTestId('stage-row').evaluateAll((els) => els.map((e) => e.dataset.stageName))
    await page.goto(`/settings/pipelines/${created.id}`)
    await page.locator('[data-testid="stage-row"][data-stage-name="Done"]').waitFor()
    const handle = (name) => page.getByRole('button', { name: `Move ${name}`, exact: true })

    for (const [what, from, onto, want] of [
      ['up', 'Signed', 'Pitch', ['Brief', 'Signed', 'Pitch', 'Review', 'Done']],
      ['down', 'Brief', 'Review', ['Signed', 'Pitch', 'Review', 'Brief', 'Done']],
    ]) {
      const saved = page.waitForResponse((r) => r.url().includes(`/pipelines/${created.id}/stages/order`) && r.request().method() === 'PUT')
      await dragRow(page, handle(from), handle(onto))
      const res = await saved
      if (res.status() !== 200) throw new Error(`${what}: the new order answered ${res.status()}`)
      await eventually(async () => {
        const shown = await shownOrder()
        if (shown.join() !== want.join()) throw new Error(`${what}: the page shows ${shown.join(', ')}`)
      })
      const order = await savedOrder()
      if (order.join() !== want.join()) throw new Error(`${what}: GET /pipelines has ${order.join(', ')}, want ${want.join(', ')}`)
    }
    await page.reload()
    await page.locator('[data-testid="stage-row"][data-stage-name="Done"]').waitFor()
    if ((await shownOrder()).join() !== 'Signed,Pitch,Review,Brief,Done')
      throw new Error(`after reload: ${(await shownOrder()).join(', ')}`)
    await page.goto(`/pipeline/${created.id}`)
    await column(page, 'Done').waitFor()
    const columns = await page.getByTestId('board-column').evaluateAll((els) => els.map((e) => e.dataset.stageName))
    if (columns.join() !== 'Signed,Pitch,Review,Brief,Done') throw new Error(`board columns: ${columns.join(', ')}`)
  })

  // Search: records whose names carry accents, one of each type sharing a word.
  const company = await api.call('POST', '/companies', { ...opts, body: { name: 'Araújo & Filhos', tags: [] } })
  const contact = await api.call('POST', '/contacts', {
    ...opts,
    body: { name: 'João Araújo', email: `joao-${uniq}@example.com`, company_id: company.id, tags: [] },
  })
  const jupiter = await api.call('POST', '/companies', { ...opts, body: { name: 'Estúdio Júpiter', tags: [] } })
  const lead = await newLead('Araújo rebrand — verão', 'Lead', { company_id: company.id, company_name: company.name })

  /**
   * Opens the palette afresh with Ctrl+K (closing it first) and types `q`
   * once it shows no earlier results; the caller waits for what should show.
   */
  const paletteSearch = async (p, q) => {
    const dialog = p.getByRole('dialog')
    if (await dialog.isVisible()) {
      await p.keyboard.press('Escape')
      await dialog.waitFor({ state: 'detached' })
    }
    await p.keyboard.press('Control+k')
    // The search box is empty and its debounced text too: the page list, not old results.
    await dialog.locator('[cmdk-group-heading]', { hasText: 'Go to' }).waitFor()
    await dialog.locator('[cmdk-input]').fill(q)
    return dialog
  }
  /** Every answer of GET /search a page receives: [{q, body}]. */
  const watchSearch = (p) => {
    const seen = []
    p.on('response', async (r) => {
      const url = new URL(r.url())
      if (url.pathname.endsWith('/api/v1/search') && r.ok()) seen.push({ q: url.searchParams.get('q'), body: await r.json() })
    })
    return seen
  }
  /** The answer the page received for exactly `q`. */
  const answerFor = (seen, q) =>
    eventually(() => {
      const a = seen.find((x) => x.q === q)
      if (!a) throw new Error(`the palette sent no search for "${q}"`)
      return a
    })
  /** The palette's options under a group heading (Leads, Contacts, Companies). */
  const groupOptions = (dialog, heading) =>
    dialog
      .locator('[cmdk-group]', { has: dialog.page().locator('[cmdk-group-heading]', { hasText: new RegExp(`^${heading}$`) }) })
      .getByRole('option')
  const hitIds = (body, type) => body[type].map((h) => h.id)

  await t.test('search: Ctrl+K finds a contact, a company and a lead each under its type, and opens the right page', async () => {
    await page.goto('/')
    await page.getByTestId('org-name').filter({ hasText: 'Gaps Agency' }).waitFor()
    const found = await api.call('GET', '/search?q=araujo', opts)
    if (hitIds(found, 'contacts').join() !== contact.id) throw new Error(`contacts: ${JSON.stringify(found.contacts)}`)
    if (hitIds(found, 'companies').join() !== company.id) throw new Error(`companies: ${JSON.stringify(found.companies)}`)
    if (hitIds(found, 'leads').join() !== lead.id) throw new Error(`leads: ${JSON.stringify(found.leads)}`)
    const dialog = await paletteSearch(page, 'araujo')
    for (const [heading, title] of [
      ['Contacts', 'João Araújo'],
      ['Companies', 'Araújo & Filhos'],
      ['Leads', 'Araújo rebrand — verão'],
    ]) {
      const options = groupOptions(dialog, heading)
      await options.filter({ hasText: title }).waitFor()
      if ((await options.count()) !== 1) throw new Error(`${heading} shows ${(await options.allTextContents()).join(' | ')}`)
    }
    // Each hit opens its own kind of page.
    for (const [heading, title, path, ready] of [
      ['Companies', 'Araújo & Filhos', `/companies/${company.id}`, 'record-title'],
      ['Contacts', 'João Araújo', `/contacts/${contact.id}`, 'record-title'],
      ['Leads', 'Araújo rebrand — verão', `/leads/${lead.id}`, 'lead-title'],
    ]) {
      const d = await paletteSearch(page, 'araujo')
      await groupOptions(d, heading).filter({ hasText: title }).click()
      await page.waitForURL(`**${path}`)
      await page.getByTestId(ready).filter({ hasText: title }).waitFor()
    }
  })

  await t.test('search: case and accents are ignored both ways ("joao" finds "João", "JÚPITER" and "jupiter" find "Júpiter")', async () => {
    const seen = watchSearch(page)
    for (const [q, type, heading, id, title] of [
      ['joao', 'contacts', 'Contacts', contact.id, 'João Araújo'],
      ['JOAO', 'contacts', 'Contacts', contact.id, 'João Araújo'],
      ['jupiter', 'companies', 'Companies', jupiter.id, 'Estúdio Júpiter'],
      ['JÚPITER', 'companies', 'Companies', jupiter.id, 'Estúdio Júpiter'],
      ['estudio', 'companies', 'Companies', jupiter.id, 'Estúdio Júpiter'],
      ['verao', 'leads', 'Leads', lead.id, 'Araújo rebrand — verão'],
    ]) {
      const got = await api.call('GET', `/search?q=${encodeURIComponent(q)}`, opts)
      if (!hitIds(got, type).includes(id)) throw new Error(`GET /search?q=${q}: ${JSON.stringify(got[type])}`)
      const dialog = await paletteSearch(page, q)
      const answer = await answerFor(seen, q)
      await groupOptions(dialog, heading).filter({ hasText: title }).waitFor()
      if (!hitIds(answer.body, type).includes(id)) throw new Error(`the palette's search for ${q}: ${JSON.stringify(answer)}`)
    }
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })
  })

  await t.test(
    'search: a sales member never finds a lead or contact they cannot see (not theirs, not shared); the owner does',
    async () => {
      const salesEmail = `sales-${uniq}@example.com`
      const salesTokens = await api.join(opts, { email: salesEmail, name: 'Sérgio Sales', role: 'sales' })
      const sales = { session: sessionOf(salesTokens).session, org: owner.org }
      const salesOpts = { token: sales.session.access, org: owner.org }
      // The owner's records (not assigned to the sales member), and one of the sales member's own.
      const secret = await newLead('Ômega secret deal', 'Lead')
      const secretContact = await api.call('POST', '/contacts', { ...opts, body: { name: 'Otávio Ômega', tags: [] } })
      const own = await api.call('POST', '/leads', { ...salesOpts, body: { full_name: 'Ômega own pitch', estimated_value: 10, tags: [] } })
      const hidden = [secret.id, secretContact.id]
      const shows = (body) => [...body.leads, ...body.contacts, ...body.companies, ...body.projects, ...body.tasks].map((h) => h.id)

      const ownerHits = await api.call('GET', '/search?q=omega', opts)
      for (const id of [secret.id, own.id]) if (!hitIds(ownerHits, 'leads').includes(id)) throw new Error(`the owner misses ${id}`)
      if (!hitIds(ownerHits, 'contacts').includes(secretContact.id)) throw new Error('the owner misses the contact')
      const salesHits = await api.call('GET', '/search?q=omega', salesOpts)
      if (hitIds(salesHits, 'leads').join() !== own.id) throw new Error(`sales finds leads ${JSON.stringify(salesHits.leads)}`)
      if (salesHits.contacts.length) throw new Error(`sales finds contacts ${JSON.stringify(salesHits.contacts)}`)
      // Whole words and prefixes, with and without the accents.
      for (const q of ['Ômega secret', 'omeg', 'secret', 'otavio', 'Otávio Ômega']) {
        const hits = await api.call('GET', `/search?q=${encodeURIComponent(q)}`, salesOpts)
        if (shows(hits).some((id) => hidden.includes(id))) throw new Error(`sales finds a hidden record with "${q}"`)
      }

      // In the browser: the owner's palette lists both leads and the contact.
      const ownerDialog = await paletteSearch(page, 'omega')
      await groupOptions(ownerDialog, 'Leads').filter({ hasText: 'Ômega secret deal' }).waitFor()
      await groupOptions(ownerDialog, 'Leads').filter({ hasText: 'Ômega own pitch' }).waitFor()
      await groupOptions(ownerDialog, 'Contacts').filter({ hasText: 'Otávio Ômega' }).waitFor()
      await page.keyboard.press('Escape')

      // The sales member's palette: their own lead, never the others.
      const salesCtx = await signedInContext(newContext, sales)
      const sp = await salesCtx.newPage()
      const seen = watchSearch(sp)
      await sp.goto('/leads')
      await sp.getByTestId('org-name').filter({ hasText: 'Gaps Agency' }).waitFor()
      for (const q of ['omega', 'Ômega secret', 'otavio']) {
        const dialog = await paletteSearch(sp, q)
        const answer = await answerFor(seen, q)
        if (q === 'omega') await groupOptions(dialog, 'Leads').filter({ hasText: 'Ômega own pitch' }).waitFor()
        else await dialog.getByText('Nothing found.').waitFor()
        if (shows(answer.body).some((id) => hidden.includes(id)))
          throw new Error(`the sales palette's search for "${q}" returned a hidden record`)
        if ((await dialog.getByRole('option', { name: /secret deal|Otávio/ }).count()) !== 0)
          throw new Error(`the sales palette shows a hidden record for "${q}"`)
      }
      await sp.keyboard.press('Escape')

      // Shared with the sales member, the lead is found: what hides it is who may see it.
      await api.call('POST', '/shares', { ...opts, body: { entity_type: 'lead', record_id: secret.id, user_id: salesTokens.user.id } })
      const shared = await api.call('GET', '/search?q=omega', salesOpts)
      if (!hitIds(shared, 'leads').includes(secret.id)) throw new Error('sales does not find the lead shared with them')
      if (shared.contacts.length) throw new Error('sharing the lead showed the contact too')
      const dialog = await paletteSearch(sp, 'omega secret')
      await groupOptions(dialog, 'Leads').filter({ hasText: 'Ômega secret deal' }).waitFor()
      await salesCtx.close()
    },
  )

  await ctx.close()
}

/** PATCH /leads/{id} with If-Match, as a teammate's client sends it (answers 412 if `version` is stale). */
const patchLead = (api, opts, id, version, body) =>
  api.call('PATCH', `/leads/${id}`, { ...opts, headers: { 'if-match': `"${version}"` }, body })
