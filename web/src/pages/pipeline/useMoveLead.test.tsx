import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, renderHook, waitFor } from '@testing-library/react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { toast } from 'sonner'
import { boardKey } from '@/api/hooks/pipelines'
import { switchOrg, saveSession } from '@/api/session'
import type { Board, Lead } from '@/api/types'
import { useMoveLead } from './useMoveLead'

vi.mock('sonner', () => ({ toast: { error: vi.fn(), success: vi.fn() } }))

const lead = (id: string, stage_id: string): Lead =>
  ({ id, title: `Lead ${id}`, stage_id, version: 3, estimated_value: 100, currency: 'BRL', tags: [] }) as unknown as Lead

const board = (): Board =>
  ({
    pipeline: { id: 'p' },
    columns: [
      { stage: { id: 'a', probability: 10 }, leads: [lead('1', 'a')], count: 1, value_total: 100, weighted_value: 10 },
      { stage: { id: 'b', probability: 50 }, leads: [], count: 0, value_total: 0, weighted_value: 0 },
    ],
  }) as unknown as Board

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } })
  qc.setQueryData(boardKey('org-1', 'p'), board())
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  const { result } = renderHook(() => useMoveLead('p'), { wrapper })
  return { qc, result, get: () => qc.getQueryData<Board>(boardKey('org-1', 'p'))! }
}

beforeEach(() => {
  switchOrg('org-1')
  saveSession({ access: 'tok', refresh: 'r', expiresAt: Date.now() + 3_600_000, user: { id: 'u', email: 'a@b.c', name: 'A' } })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.mocked(toast.error).mockClear()
})

describe('moving a card', () => {
  it('shows the move at once and sends If-Match with the card’s version and the index', async () => {
    let sent: Request | undefined
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        sent = req
        await gate
        return new Response(JSON.stringify({ ...lead('1', 'b'), version: 4 }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        })
      }),
    )
    const { result, get } = setup()
    act(() => result.current.move({ lead: lead('1', 'a'), stageId: 'b', index: 0 }))
    // Optimistic: before the server answered.
    expect(get().columns[1].leads.map((l) => l.id)).toEqual(['1'])
    expect(get().columns[1].count).toBe(1)
    await waitFor(() => expect(sent).toBeDefined())
    expect(sent!.method).toBe('PATCH')
    expect(sent!.headers.get('if-match')).toBe('"3"')
    expect(sent!.headers.get('x-org-id')).toBe('org-1')
    expect(await sent!.json()).toMatchObject({ stage_id: 'b', position: 0 })
    release()
    await waitFor(() => expect(get().columns[1].leads[0].version).toBe(4))
  })

  it('puts the card back and explains when a teammate changed it first (412)', async () => {
    const problem = { type: 'x', title: 'Precondition Failed', status: 412, detail: 'stale', code: 'version_conflict', current_version: 5 }
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(problem), { status: 412, headers: { 'content-type': 'application/problem+json' } })),
    )
    const { result, get } = setup()
    act(() => result.current.move({ lead: lead('1', 'a'), stageId: 'b', index: 0 }))
    expect(get().columns[1].leads).toHaveLength(1)
    await waitFor(() => expect(toast.error).toHaveBeenCalled())
    expect(get().columns[0].leads.map((l) => l.id)).toEqual(['1'])
    expect(get().columns[1].leads).toHaveLength(0)
    expect(vi.mocked(toast.error).mock.calls[0][0]).toBe('Someone changed this lead first')
  })

  it('puts the card back on any other failure too', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    )
    const { result, get } = setup()
    act(() => result.current.move({ lead: lead('1', 'a'), stageId: 'b', index: 0 }))
    await waitFor(() => expect(toast.error).toHaveBeenCalled())
    expect(get().columns[0].count).toBe(1)
    expect(get().columns[1].count).toBe(0)
  })
})
