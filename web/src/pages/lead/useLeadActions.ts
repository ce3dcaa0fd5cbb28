import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { toastError } from '@/api/errors'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Lead } from '@/api/types'

export interface StageMove {
  stageId: string
  outcome?: 'won' | 'lost'
  lostReason?: string
}

/** The deal page's moves (stage bar, Won, Lost) and delete, with If-Match on the lead's version. */
export function useLeadActions(lead: Lead | undefined) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: [org, 'board'] })
    void qc.invalidateQueries({ queryKey: [org, 'list', 'leads'] })
    void qc.invalidateQueries({ queryKey: [org, 'timeline', lead?.id] })
    void qc.invalidateQueries({ queryKey: [org, 'dashboard'] })
  }
  const move = useMutation({
    mutationFn: async (m: StageMove) =>
      unwrap(
        await api.PATCH('/api/v1/leads/{id}/stage', {
          params: { path: { id: lead!.id }, header: { 'If-Match': `"${lead!.version}"` } },
          body: { stage_id: m.stageId, outcome: m.outcome ?? null, lost_reason: m.outcome === 'lost' ? m.lostReason || null : null },
        }),
      ),
    onSuccess: (updated, m) => {
      qc.setQueryData([org, 'lead', updated.id], updated)
      if (m.outcome === 'won') toast.success(t('deal.wonToast', { name: updated.title }))
      else if (m.outcome === 'lost') toast.success(t('deal.lostToast', { name: updated.title }))
      refresh()
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 412) {
        toast.error(t('pipeline.conflictTitle'), { description: t('lead.conflict') })
        void qc.invalidateQueries({ queryKey: [org, 'lead', lead?.id] })
      } else toastError(e, t('pipeline.moveFailed', { name: lead?.title ?? '' }))
    },
  })
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/leads/{id}', {
          params: { path: { id: lead!.id }, header: { 'If-Match': `"${lead!.version}"` } },
        }),
      ),
    onSuccess: () => {
      toast.success(t('deal.deleted', { name: lead?.title ?? '' }))
      qc.removeQueries({ queryKey: [org, 'lead', lead?.id] })
      refresh()
    },
    onError: (e) => toastError(e, t('deal.deleteFailed')),
  })
  return { move, remove }
}
