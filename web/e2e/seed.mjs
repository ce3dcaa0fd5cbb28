// Demo records for the screenshots: a pipeline that looks like real work.

/** A few more records so the screenshots show a working pipeline. */
export async function seedForScreenshots(api, { session, org }) {
  const opts = { token: session.access, org }
  const pipelines = await api.call('GET', '/pipelines', opts)
  const stages = pipelines.data[0].stages
  const companies = ['Bellini Café', 'Nova Fintech', 'Tropicalia Hotels', 'Casa Verde', 'Pixel & Co', 'Ritmo Fitness']
  const people = ['Fernanda Alves', 'Gustavo Pereira', 'Helena Costa', 'Igor Nunes', 'Julia Rocha', 'Lucas Martins']
  const members = (await api.call('GET', '/organizations/current/members', opts)).data
  for (let i = 0; i < companies.length; i++) {
    const company = await api.call('POST', '/companies', { ...opts, body: { name: companies[i], tags: [] } })
    const contact = await api.call('POST', '/contacts', { ...opts, body: { name: people[i], company_id: company.id, tags: [] } })
    for (let j = 0; j < 2; j++) {
      const lead = await api.call('POST', '/leads', {
        ...opts,
        body: {
          full_name: [`Brand refresh — ${companies[i]}`, `Social media retainer`, `Landing page sprint`, `SEO audit`][(i + j) % 4],
          company_id: company.id,
          company_name: company.name,
          contact_id: contact.id,
          estimated_value: [4800, 12000, 2500, 30000, 7500, 950][(i + j) % 6],
          currency: 'BRL',
          stage_id: stages[(i + j) % 4].id,
          assigned_to: members[(i + j) % members.length].user_id,
          tags: [['hot'], ['retainer'], [], ['inbound', 'q3']][(i + j) % 4],
          source: 'referral',
        },
      })
      if (j === 0 && i < 4) {
        await api.call('POST', '/tasks', {
          ...opts,
          body: {
            name: ['Send the proposal', 'Call to confirm the budget', 'Prepare the kickoff deck', 'Review the contract'][i],
            lead_id: lead.id,
            assignee_id: members[0].user_id,
            priority: ['high', 'medium', 'urgent', 'low'][i],
            due_date: new Date(Date.now() + (i - 1) * 2 * 86_400_000).toISOString(),
            tags: [],
          },
        })
      }
      if ((i + j) % 2 === 0) {
        await api.call('POST', '/communications', {
          ...opts,
          body: {
            channel: ['whatsapp', 'email', 'call'][(i + j) % 3],
            lead_id: lead.id,
            direction: 'inbound',
            content: 'Hi! Following up on the proposal.',
          },
        })
      }
    }
  }
}
