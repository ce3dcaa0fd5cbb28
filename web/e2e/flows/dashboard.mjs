// The dashboard on a fresh organization with known numbers.
import { signedInContext, sessionOf } from './session.mjs'

const DAY = 86_400_000

/** Seeds an organization whose dashboard figures are known in advance. */
async function seedKnownOrg(api, uniq) {
  const tokens = await api.register(`dash-${uniq}@example.com`, 'Dora Dias', 'Dashboard Agency')
  const signed = sessionOf(tokens)
  const opts = { token: signed.session.access, org: signed.org }
  const pipeline = (await api.call('GET', '/pipelines', opts)).data[0]
  const stage = (name) => pipeline.stages.find((s) => s.name === name)
  const leads = [
    ['Brand book', 1000, 'Lead', 'referral'],
    ['Ads retainer', 2500, 'Contact', 'referral'],
    ['New website', 4000, 'Proposal', 'web'],
  ]
  const ids = []
  for (const [title, value, stageName, source] of leads) {
    const lead = await api.call('POST', '/leads', {
      ...opts,
      body: { full_name: title, estimated_value: value, currency: 'BRL', stage_id: stage(stageName).id, source, tags: [] },
    })
    ids.push(lead.id)
  }
  const channels = ['whatsapp', 'whatsapp', 'email', 'call']
  for (let i = 0; i < channels.length; i++) {
    await api.call('POST', '/communications', {
      ...opts,
      body: {
        channel: channels[i],
        lead_id: ids[i % ids.length],
        direction: 'inbound',
        content: 'Hello',
        sent_at: new Date(Date.now() - i * DAY).toISOString(),
      },
    })
  }
  await api.call('POST', '/tasks', {
    ...opts,
    body: {
      name: 'Call Dora back',
      lead_id: ids[0],
      assignee_id: tokens.user.id,
      priority: 'high',
      due_date: new Date(Date.now() - 3_600_000).toISOString(),
      tags: [],
    },
  })
  return signed && { ...signed, api }
}

export async function dashboardTests({ t, api, uniq, newContext, server }) {
  let signed
  await t.test('dashboard: a new organization lands on an empty dashboard with a call to action', async () => {
    const tokens = await api.register(`empty-${uniq}@example.com`, 'Eva Empty', 'Empty Co')
    const ctx = await signedInContext(newContext, sessionOf(tokens))
    const p = await ctx.newPage()
    await p.goto('/')
    await p.getByTestId('dashboard-empty').waitFor()
    await p.getByTestId('dashboard-empty').getByTestId('new-lead').waitFor()
    const open = await p.getByTestId('kpi-open-leads').getByTestId('kpi-value').textContent()
    if (open !== '0') throw new Error(`open leads shows ${open}`)
    await ctx.close()
  })

  await t.test('dashboard: KPIs, funnel, sources and activity show the seeded numbers; period and pipeline are in the URL', async () => {
    signed = await seedKnownOrg(api, uniq)
    const ctx = await signedInContext(newContext, signed)
    const p = await ctx.newPage()
    await p.goto('/')
    const kpi = (id) => p.getByTestId(id).getByTestId('kpi-value')
    await kpi('kpi-open-leads').filter({ hasText: /^3$/ }).waitFor()
    const value = await kpi('kpi-pipeline-value').textContent()
    if (value !== 'R$7,500') throw new Error(`pipeline value shows ${value}`)
    const tasks = await kpi('kpi-tasks').textContent()
    if (tasks !== '1') throw new Error(`tasks due shows ${tasks}`)
    await p.getByTestId('kpi-tasks').getByText('1 overdue').waitFor()
    const funnel = await p
      .getByTestId('funnel-row')
      .evaluateAll((rows) => rows.map((r) => `${r.dataset.stageName}:${r.querySelector('[data-testid="funnel-count"]').textContent}`))
    for (const want of ['Lead:1', 'Contact:1', 'Proposal:1']) if (!funnel.includes(want)) throw new Error(`funnel: ${funnel.join(', ')}`)
    await p.getByTestId('sources').getByText('Referral').waitFor()
    await p.locator('[data-testid="activity-total"][data-channel="whatsapp"]').filter({ hasText: '2' }).waitFor()
    await p.getByTestId('activity-chart').locator('.recharts-bar-rectangle').first().waitFor()
    await p.getByRole('radio', { name: '7 days' }).click()
    await p.waitForURL(/days=7/)
    await p.getByText('last 7 days').waitFor()
    // The numbers come from the API the page called.
    const api7 = await api.call('GET', '/dashboard?days=7', { token: signed.session.access, org: signed.org })
    if (api7.activity.length !== 7) throw new Error(`activity has ${api7.activity.length} days`)
    await ctx.close()
  })
  return signed && { ...signed, api }
}

/** A month of varied activity and sources, so the charts in the screenshots look like real use. */
async function seedMonth(api, signed) {
  const opts = { token: signed.session.access, org: signed.org }
  const channels = ['whatsapp', 'email', 'call', 'meeting', 'note', 'sms']
  const sources = ['web', 'referral', 'whatsapp', 'ads', 'form', 'email', 'manual']
  const lead = await api.call('POST', '/leads', {
    ...opts,
    body: { full_name: 'Social retainer', estimated_value: 9000, currency: 'BRL', source: 'ads', tags: [] },
  })
  for (let i = 0; i < 12; i++) {
    await api.call('POST', '/leads', {
      ...opts,
      body: {
        full_name: `Inbound ${i}`,
        estimated_value: 800 + ((i * 1700) % 9000),
        currency: 'BRL',
        source: sources[i % sources.length],
        tags: [],
      },
    })
  }
  for (let d = 0; d < 30; d++) {
    const n = 1 + ((d * 7) % 5) + (d % 7 < 5 ? 2 : 0)
    for (let k = 0; k < n; k++) {
      await api.call('POST', '/communications', {
        ...opts,
        body: {
          channel: channels[(d + k * 3) % (k % 4 === 3 ? 6 : 3)],
          lead_id: lead.id,
          direction: 'inbound',
          content: 'Follow-up',
          sent_at: new Date(Date.now() - d * DAY - k * 60_000).toISOString(),
        },
      })
    }
  }
}

export async function dashboardShots({ newContext, signed, shot, setTheme }) {
  await seedMonth(signed.api, signed)
  for (const theme of ['light', 'dark']) {
    const ctx = await signedInContext(newContext, signed)
    const p = await ctx.newPage()
    await setTheme(signed, theme)
    await p.goto('/?days=30')
    await p.setViewportSize({ width: 1440, height: 1200 })
    await p.getByTestId('activity-chart').locator('.recharts-bar-rectangle').first().waitFor()
    await p.getByTestId('sources').locator('.recharts-pie-sector').first().waitFor()
    await p.waitForTimeout(500)
    await shot(p, `dashboard-${theme}`)
    await ctx.close()
  }
  // Tall enough to show the whole page (the app scrolls inside <main>).
  const mobile = await signedInContext(newContext, signed, { viewport: { width: 375, height: 2000 }, isMobile: true, hasTouch: true })
  const m = await mobile.newPage()
  await setTheme(signed, 'light')
  await m.goto('/')
  await m.getByTestId('activity-chart').locator('.recharts-bar-rectangle').first().waitFor()
  await m.waitForTimeout(500)
  await shot(m, 'dashboard-mobile')
  await mobile.close()
}
