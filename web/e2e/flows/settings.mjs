// Settings pages of issue 4: profile, preferences, custom fields.

export async function settingsTests({ t, page, api, ownerSession, owner }) {
  const opts = { token: ownerSession.session.access, org: ownerSession.org }

  await t.test('profile: rename yourself; the email is shown read-only with its verified state', async () => {
    await page.goto('/settings/profile')
    await page.getByTestId('profile-email').filter({ hasText: owner.email }).waitFor()
    await page.getByTestId(/email-(un)?verified/).waitFor()
    await page.getByLabel('Full name').fill(`${owner.name} Lima`)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Profile saved').waitFor()
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `${owner.name} Lima` })
      .waitFor()
    const me = await api.call('GET', '/users/me', { token: opts.token })
    if (me.name !== `${owner.name} Lima`) throw new Error(`name is ${me.name}`)
    await page.getByLabel('Full name').fill(owner.name)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByTestId('user-menu').filter({ hasText: owner.name, hasNotText: 'Lima' }).waitFor()
  })

  await t.test('preferences: theme and language apply at once and persist after reload; timezone is searchable', async () => {
    await page.goto('/settings/preferences')
    await page.locator('label', { has: page.getByRole('radio', { name: 'Dark' }) }).click()
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'))
    await page.getByLabel('Language').selectOption('es')
    await page.getByRole('link', { name: 'Panel', exact: true }).waitFor()
    await page.getByTestId('timezone-picker').click()
    await page.getByPlaceholder('Busca una ciudad o diferencia…').fill('sao paulo')
    await page.getByRole('option', { name: /America\/Sao Paulo/ }).click()
    await page.getByTestId('timezone-picker').filter({ hasText: 'America/Sao Paulo' }).waitFor()
    await page.getByRole('checkbox', { name: 'Un comentario en mis registros: Correo' }).check()
    await page.getByTestId('prefs-saved').waitFor()
    // Local storage is not where it lives: a clean browser gets it from the server.
    await page.evaluate(() => {
      localStorage.removeItem('lovedcrm.theme')
      localStorage.removeItem('lovedcrm.lang')
    })
    await page.reload()
    await page.getByRole('link', { name: 'Panel', exact: true }).waitFor()
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'))
    const prefs = await api.call('GET', '/users/me/preferences', opts)
    if (prefs.theme !== 'dark' || prefs.language !== 'es' || prefs.timezone !== 'America/Sao_Paulo' || !prefs.notifications.comment.email)
      throw new Error(JSON.stringify(prefs))
    await page.getByRole('checkbox', { name: 'Pausar las notificaciones por correo de noche' }).check()
    await page.getByTestId('prefs-saved').waitFor()
    // Back to English and light for the rest of the suite, through the page.
    await page.getByLabel('Idioma').selectOption('en')
    await page.getByRole('link', { name: 'Dashboard', exact: true }).waitFor()
    await page.locator('label', { has: page.getByRole('radio', { name: 'Light' }) }).click()
    await page.waitForFunction(() => !document.documentElement.classList.contains('dark'))
    await page.getByTestId('prefs-saved').waitFor()
    const after = await api.call('GET', '/users/me/preferences', opts)
    if (after.language !== 'en' || after.theme !== 'light' || !after.quiet_hours.enabled) throw new Error(JSON.stringify(after))
  })

  await t.test('custom fields: create a choice field, rename it, fill it on a contact, delete it', async () => {
    await page.goto('/settings/custom-fields')
    await page.getByTestId('new-custom-field').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Label').fill('Contract type')
    await dialog.getByLabel('Type').selectOption('select')
    await dialog.getByLabel('Options').fill('Retainer\nProject')
    await dialog.getByRole('button', { name: 'Create field' }).click()
    const row = page.locator('[data-testid="custom-field-row"][data-key="contract_type"]')
    await row.getByText('Single choice').waitFor()
    await row.getByRole('button', { name: 'Edit Contract type' }).click()
    await page.getByRole('dialog').getByLabel('Label').fill('Contract model')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await row.getByText('Contract model').waitFor()

    const contact = (await api.call('GET', '/contacts?q=Diego', opts)).data[0]
    await page.goto(`/contacts/${contact.id}`)
    const fields = page.getByTestId('custom-fields')
    await fields.getByRole('button', { name: 'Edit Contract model' }).click()
    await fields.getByLabel('Contract model').selectOption('Retainer')
    await fields.getByLabel('Contract model').blur()
    await fields.getByRole('button', { name: 'Edit Contract model' }).filter({ hasText: 'Retainer' }).waitFor()
    const saved = await api.call('GET', `/contacts/${contact.id}`, opts)
    if (saved.custom_fields.contract_type !== 'Retainer') throw new Error(JSON.stringify(saved.custom_fields))
    await page.reload()
    await fields.getByText('Retainer').waitFor()

    await page.goto('/settings/custom-fields?entity=lead')
    await page.getByText('No custom fields on Leads yet').waitFor()
    await page.getByRole('tab', { name: /Contacts/ }).click()
    await row.getByRole('button', { name: 'Delete Contract model' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete field' }).click()
    await row.waitFor({ state: 'detached' })
    const left = await api.call('GET', '/custom-fields', opts)
    if (left.data.some((d) => d.key === 'contract_type')) throw new Error('the field is still defined')
  })
}

/** Screenshots of the settings pages (theme set through the saved preference). */
export async function settingsShots({ page, ownerSession, shot, setTheme, api }) {
  const opts = { token: ownerSession.session.access, org: ownerSession.org }
  await api.call('POST', '/custom-fields', {
    ...opts,
    body: { entity_type: 'contact', key: 'budget', label: 'Monthly budget', kind: 'number' },
  })
  await api.call('POST', '/custom-fields', {
    ...opts,
    body: { entity_type: 'contact', key: 'segment', label: 'Segment', kind: 'multi_select', options: ['Retail', 'Food', 'Health', 'Tech'] },
  })
  for (const theme of ['light', 'dark']) {
    await setTheme(ownerSession, theme)
    for (const [path, name, ready] of [
      ['/settings/profile', 'profile', 'profile-email'],
      ['/settings/preferences', 'preferences', 'timezone-picker'],
      ['/settings/custom-fields', 'custom-fields', 'custom-field-row'],
    ]) {
      await page.goto(path)
      await page.getByTestId(ready).first().waitFor()
      await shot(page, `${name}-${theme}`, { fullPage: name === 'preferences' })
    }
  }
  await setTheme(ownerSession, 'light')
}
