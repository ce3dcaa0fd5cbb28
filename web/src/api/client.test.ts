import { afterEach, describe, expect, it, vi } from 'vitest'
import i18n from '@/i18n'
import { api } from './client'

describe('API requests carry the interface language', () => {
  afterEach(async () => {
    vi.unstubAllGlobals()
    await i18n.changeLanguage('en')
  })

  it('sends Accept-Language on sign-up and on signed-in calls', async () => {
    const seen: (string | null)[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        seen.push(req.headers.get('accept-language'))
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })
      }),
    )
    await i18n.changeLanguage('pt-BR')
    await api.POST('/api/v1/auth/register', { body: { email: 'a@example.com', password: 'long enough password', name: 'Ana' } })
    await i18n.changeLanguage('es')
    await api.GET('/api/v1/pipelines')
    expect(seen).toEqual(['pt-BR', 'es'])
  })
})
