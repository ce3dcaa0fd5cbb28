// The board under a real mouse: many drags across long (virtualized) columns,
// slow and fast, at two screen widths, onto columns already in view and onto
// columns the board scrolls into view while the card is held at its edge.
// Every drop must land where it was dropped and nothing may crash the page
// (the runner fails a test on any page or console error).
import { signedInContext, sessionOf } from './session.mjs'

const STAGES = ['Lead', 'Qualified', 'Meeting', 'Proposal', 'Negotiation', 'Contract', 'Signed']
/** Over the board's 40-card virtualization threshold. */
const PER_STAGE = 45
/** Shorter columns too, below the threshold, as a new board has. */
const SHORT = { 2: 12, 4: 8 }

/** An organization whose default pipeline has seven long columns. */
async function seedLongBoard(api, uniq) {
  const signed = sessionOf(await api.register(`drag-${uniq}@example.com`, 'Dani Drag', 'Drag Studio'))
  const opts = { token: signed.session.access, org: signed.org }
  const pipeline = await api.call('POST', '/pipelines', {
    ...opts,
    body: { name: 'Drag test', is_default: true, stages: STAGES.map((name) => ({ name, kind: 'open' })) },
  })
  const jobs = []
  for (const [s, stage] of pipeline.stages.entries())
    for (let i = 0; i < (SHORT[s] ?? PER_STAGE); i++)
      jobs.push({
        full_name: `S${s} lead ${i}`,
        stage_id: stage.id,
        estimated_value: 100 + i,
        // Cards as tall as real ones: a company line and tags under the title.
        company_name: i % 3 ? `Company ${i}` : undefined,
        tags: i % 2 ? ['hot'] : [],
      })
  // A few at a time: the debug server on SQLite is the bottleneck either way.
  for (let i = 0; i < jobs.length; i += 8)
    await Promise.all(
      jobs.slice(i, i + 8).map((body) => api.call('POST', '/leads', { ...opts, body: { ...body, pipeline_id: pipeline.id } })),
    )
  return { signed, opts, pipeline }
}

/** Ids of the cards a column shows, top to bottom (virtualized columns hold only those in view). */
async function shownIds(page, stageId) {
  const ids = await page.evaluate((id) => {
    const col = document.querySelector(`[data-testid="board-column"][data-stage-id="${id}"]`)
    if (!col) return null
    return [...col.querySelectorAll('[data-testid="lead-card"]')]
      .map((el) => ({ id: el.dataset.leadId, top: el.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((c) => c.id)
  }, stageId)
  if (!ids) throw new Error(`the board is gone (${(await page.locator('body').innerText()).slice(0, 120)})`)
  return ids
}

const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))

/**
 * Drags like a hand: presses on the card, moves in steps of a few pixels
 * along a slightly wavy path (`slow`: 5 px steps with a pause; fast: 16 px
 * steps without), optionally rests at the board's edge until `waitFor()` says
 * the target came into view, then goes to the point `to()` gives, following
 * it if it moves, and releases once it is still.
 */
export async function humanDrag(page, from, { to, slow, edge, waitFor }) {
  // Steps of a few pixels (a hand's pointer reports every few pixels), so the
  // pointer also rests in the gaps between columns.
  const stepPx = slow ? 5 : 16
  const move = async (x0, y0, x1, y1, pause) => {
    const steps = Math.max(4, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / stepPx))
    // A hand's path is not straight: a slow wave across it and a tremor.
    for (let i = 1; i <= steps; i++) {
      const f = i / steps
      const off = i < steps ? Math.sin(f * Math.PI * 3) * 6 + Math.sin(i * 2.3) * 4 : 0
      await page.mouse.move(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f + off)
      if (pause) await page.waitForTimeout(pause)
    }
  }
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  // Past the 5 px activation distance in small steps, as a hand starts.
  await move(from.x, from.y, from.x + 8, from.y + 3, 16)
  let at = { x: from.x + 8, y: from.y + 3 }
  if (edge) {
    await move(at.x, at.y, edge.x, edge.y, slow ? 8 : 0)
    at = edge
    const deadline = Date.now() + 15_000
    while (!(await waitFor())) {
      if (Date.now() > deadline) throw new Error('the board did not scroll the target column into view')
      // A resting hand still trembles a pixel.
      await page.mouse.move(at.x, at.y + ((Date.now() / 100) % 2))
      await page.waitForTimeout(50)
    }
  }
  // The eye follows the target while the hand goes there: a board still
  // scrolling moves it, and the hand corrects.
  let target = await to()
  const steps = Math.max(4, Math.ceil(Math.hypot(target.x - at.x, target.y - at.y) / stepPx))
  for (let i = 1; i <= steps; i++) {
    if (i % 4 === 0) target = await to()
    const f = 1 / (steps - i + 1)
    at = { x: at.x + (target.x - at.x) * f, y: at.y + (target.y - at.y) * f }
    await page.mouse.move(at.x, at.y + (i < steps ? Math.sin(i) * 4 : 0))
    if (slow) await page.waitForTimeout(8)
  }
  // Resting on the target until it stops moving, then letting go.
  for (let still = 0; still < 3;) {
    await page.waitForTimeout(slow ? 60 : 20)
    const target = await to()
    if (Math.abs(target.x - at.x) < 1 && Math.abs(target.y - at.y) < 1) still++
    else {
      still = 0
      at = target
      await page.mouse.move(at.x, at.y)
    }
  }
  await page.mouse.up()
}

/** The board page of the seeded organization, and what a drag test needs around it. */
async function openBoard(newContext, world, viewport) {
  const ctx = await signedInContext(newContext, world.signed, { viewport })
  const page = await ctx.newPage()
  const column = (id) => page.locator(`[data-testid="board-column"][data-stage-id="${id}"]`)
  await page.goto('/pipeline')
  await column(world.pipeline.stages[0].id).getByTestId('lead-card').first().waitFor()
  const boardBox = await page.getByTestId('board').boundingBox()
  const saves = []
  page.on('response', (r) => {
    if (/\/leads\/[^/]+\/stage$/.test(new URL(r.url()).pathname) && r.request().method() === 'PATCH') saves.push(r)
  })
  return {
    ctx,
    page,
    column,
    boardBox,
    saves,
    /** Whether the whole column is inside the board's visible width. */
    async inView(id) {
      const b = await column(id).boundingBox()
      return !!b && b.x >= boardBox.x - 1 && b.x + b.width <= boardBox.x + boardBox.width + 1
    },
    /** The pointer target: the upper part of the `aim`-th card shown in a column, not counting `leadId`. */
    async cardPoint(stageId, leadId, aim) {
      const target = (await shownIds(page, stageId)).filter((id) => id !== leadId)[aim]
      const b = await column(stageId).locator(`[data-lead-id="${target}"]`).boundingBox({ timeout: 2000 })
      return { x: b.x + b.width / 2, y: b.y + b.height * 0.3, before: target }
    },
    /**
     * After a drop of `leadId` meant for `stageId` just before `before`: the card
     * shows there at once, the move is saved there, between the neighbours the
     * board showed, and just before (or, at worst, after) the card the pointer
     * was over. Returns whether it was just before.
     */
    async expectDropped(label, leadId, stageId, before, savesBefore) {
      await nextFrame(page)
      const shown = await shownIds(page, stageId)
      const at = shown.indexOf(leadId)
      if (at < 0) throw new Error(`${label}: the card is not in the column it was dropped on`)
      const deadline = Date.now() + 10_000
      while (saves.length === savesBefore) {
        if (Date.now() > deadline) {
          if (process.env.DRAG_DEBUG) await page.screenshot({ path: `/tmp/repro/nomove.png` })
          throw new Error(`${label}: no move was sent (shown at ${at}: ${shown.slice(0, 8).join(' ')})`)
        }
        await page.waitForTimeout(20)
      }
      const res = saves[saves.length - 1]
      if (res.status() !== 200) throw new Error(`${label}: the move answered ${res.status()}: ${await res.text()}`)
      const saved = await res.json()
      if (saved.id !== leadId || saved.stage_id !== stageId)
        throw new Error(`${label}: saved ${saved.id} in ${saved.stage_id}, dropped ${leadId} in ${stageId}`)
      const order = (await world.api.call('GET', `/leads?stage_id[eq]=${stageId}&sort=position&limit=200`, world.opts)).data.map(
        (l) => l.id,
      )
      const i = order.indexOf(leadId)
      const around = (list, j) => [list[j - 1] ?? null, list[j + 1] ?? null]
      const [shownAbove, shownBelow] = around(shown, at)
      const [savedAbove, savedBelow] = around(order, i)
      // A virtualized column shows only some cards: compare the neighbours it shows.
      if ((at > 0 && shownAbove !== savedAbove) || (at < shown.length - 1 && shownBelow !== savedBelow))
        throw new Error(`${label}: shown between ${shownAbove} and ${shownBelow}, saved between ${savedAbove} and ${savedBelow}`)
      if (order[i + 1] === before) return true
      if (order[i - 1] !== before)
        throw new Error(`${label}: dropped over ${before}, saved at ${i} between ${order[i - 1]} and ${order[i + 1]}`)
      return false
    },
  }
}

export async function boardDragTests({ t, api, uniq, newContext }) {
  let world
  const seeded = await t.test('board drags: an organization with seven long columns (five virtualized) and two short', async () => {
    world = { ...(await seedLongBoard(api, uniq)), api }
  })
  if (!seeded) return
  const stageIds = () => world.pipeline.stages.map((s) => s.id)

  for (const [width, height] of [
    [1440, 900],
    [1920, 1080],
  ]) {
    await t.test(`board drags at ${width} px: 25 mouse drags across columns land where dropped`, async () => {
      const b = await openBoard(newContext, world, { width, height })
      const report = { scrolled: 0, inView: 0, slow: 0, fast: 0, exact: 0 }
      for (let n = 0; n < 25; n++) {
        const slow = n % 2 === 0
        const src = n % STAGES.length
        // Two to four columns away, both directions.
        const hop = 2 + (n % 3)
        const dst = n % 4 < 2 ? (src + hop) % STAGES.length : (src - hop + STAGES.length) % STAGES.length
        const [srcId, dstId] = [stageIds()[src], stageIds()[dst]]
        // Start with the source column in view at the board's left or right.
        await b.column(srcId).evaluate((el, left) => el.scrollIntoView({ block: 'nearest', inline: left ? 'start' : 'end' }), dst > src)
        await b.page.waitForTimeout(50)
        const sourceCard = b
          .column(srcId)
          .getByTestId('lead-card')
          .nth(n % 3)
        const leadId = await sourceCard.getAttribute('data-lead-id')
        const sb = await sourceCard.boundingBox()
        const aim = (n * 3) % 5
        const scrolls = !(await b.inView(dstId))
        report[scrolls ? 'scrolled' : 'inView']++
        report[slow ? 'slow' : 'fast']++
        const savesBefore = b.saves.length
        const edgeY = b.boardBox.y + b.boardBox.height / 2
        let target
        await humanDrag(
          b.page,
          { x: sb.x + sb.width / 2, y: sb.y + Math.min(20, sb.height / 2) },
          {
            slow,
            to: async () => (target = await b.cardPoint(dstId, leadId, aim)),
            edge: scrolls ? { x: dst > src ? b.boardBox.x + b.boardBox.width - 8 : b.boardBox.x + 8, y: edgeY } : undefined,
            waitFor: () => b.inView(dstId),
          },
        )
        const label = `drag ${n} (${STAGES[src]} → ${STAGES[dst]}, ${slow ? 'slow' : 'fast'}${scrolls ? ', scrolled into view' : ''})`
        if (await b.expectDropped(label, leadId, dstId, target.before, savesBefore)) report.exact++
      }
      console.log(
        `      ${report.inView} drops onto columns in view, ${report.scrolled} onto columns scrolled into view; ` +
          `${report.slow} slow, ${report.fast} fast; ${report.exact}/25 just before the card under the pointer`,
      )
      await b.ctx.close()
    })
  }

  await t.test('board drags: reordering within a long column with the mouse, down and up', async () => {
    const b = await openBoard(newContext, world, { width: 1440, height: 900 })
    const stageId = stageIds()[1]
    // Cards wholly in view at 900 px: a column shows about six.
    for (const [n, [from, aim]] of [
      [0, 5],
      [5, 1],
      [2, 3],
      [4, 0],
    ].entries()) {
      const card = b.column(stageId).getByTestId('lead-card').nth(from)
      const leadId = await card.getAttribute('data-lead-id')
      const box = await card.boundingBox()
      const savesBefore = b.saves.length
      let target
      await humanDrag(
        b.page,
        { x: box.x + box.width / 2, y: box.y + 20 },
        {
          slow: n % 2 === 0,
          to: async () => (target = await b.cardPoint(stageId, leadId, aim)),
        },
      )
      if (!(await b.expectDropped(`reorder ${n} (${from} → before ${aim})`, leadId, stageId, target.before, savesBefore)))
        throw new Error(`reorder ${n}: not just before the card under the pointer`)
    }
    await b.ctx.close()
  })
}
