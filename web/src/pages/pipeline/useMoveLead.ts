import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { toastError } from '@/api/errors'
import { boardKey, type BoardQuery } from '@/api/hooks/pipelines'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Board, Lead } from '@/api/types'
import { applyMove, replaceLead } from '@/lib/board'

export interface MoveRequest {
  lead: Lead
  stageId: string
  index: number
  outcome?: 'won' | 'lost'
  lostReason?: string
}

/**
 * Moves a card: the board changes at once (optimistic), the server is told
 * with `If-Match` on the card's version, and a refusal puts the card back with
 * a toast saying why (412: a teammate changed it first).
 */
export function useMoveLead(pipelineId: string | undefined, query: BoardQuery = {}) {
  const qc = useQueryClient()
  const org = useCurrentOrgId()
  const { t } = useTranslation()
  const key = boardKey(org, pipelineId, query)

  const mutation = useMutation({
    mutationFn: async (m: MoveRequest & { previous?: Board }) =>
      unwrap(
        await api.PATCH('/api/v1/leads/{id}/stage', {
          params: { path: { id: m.lead.id }, header: { 'If-Match': `"${m.lead.version}"` } },
          body: {
            stage_id: m.stageId,
            position: m.index,
            outcome: m.outcome ?? null,
            lost_reason: m.outcome === 'lost' ? m.lostReason || null : null,
          },
        }),
      ),
    onSuccess: (lead) => {
      qc.setQueryData<Board>(key, (b) => (b ? replaceLead(b, lead) : b))
    },
    onError: (error, m) => {
      if (m.previous) qc.setQueryData(key, m.previous)
      if (isApiError(error) && error.status === 412) {
        toast.error(t('pipeline.conflictTitle'), { description: t('pipeline.conflictBody', { name: m.lead.title }) })
      } else {
        toastError(error, t('pipeline.moveFailed', { name: m.lead.title }))
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: [org, 'board'] }),
  })

  /** Applies the move to the cached board synchronously, then sends it. */
  const move = (m: MoveRequest) => {
    void qc.cancelQueries({ queryKey: key })
    const previous = qc.getQueryData<Board>(key)
    if (previous) qc.setQueryData(key, applyMove(previous, m.lead.id, m.stageId, m.index))
    mutation.mutate({ ...m, previous })
  }
  return { move, isPending: mutation.isPending }
}
