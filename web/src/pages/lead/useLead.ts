import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { versionedEdit } from '@/api/versioned'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { components } from '@/api/schema'
import type { Lead } from '@/api/types'
import { toastError } from '@/api/errors'

export type LeadPatch = components['schemas']['PatchLead']

export function useLead(id: string) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'lead', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/leads/{id}', { params: { path: { id } } })),
    enabled: !!org,
  })
}

/** PATCH with If-Match; a stale write reloads the lead and says so. */
export function usePatchLead(lead: Lead | undefined) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  return useMutation({
    mutationFn: (patch: LeadPatch) =>
      versionedEdit(lead!.id, lead!.version, async (version) =>
        unwrap(
          await api.PATCH('/api/v1/leads/{id}', {
            params: { header: { 'If-Match': `"${version}"` }, path: { id: lead!.id } },
            body: patch,
          }),
        ),
      ),
    onSuccess: (updated) => {
      qc.setQueryData([org, 'lead', updated.id], updated)
      void qc.invalidateQueries({ queryKey: [org, 'board'] })
      void qc.invalidateQueries({ queryKey: [org, 'list', 'leads'] })
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 412) {
        toast.error(t('pipeline.conflictTitle'), { description: t('lead.conflict') })
        void qc.invalidateQueries({ queryKey: [org, 'lead', lead?.id] })
      } else {
        toastError(e, t('lead.saveFailed'))
      }
    },
  })
}
