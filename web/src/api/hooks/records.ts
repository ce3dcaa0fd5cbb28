import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { api } from '../client'
import { isApiError, unwrap } from '../problem'
import { versionedEdit } from '../versioned'
import type { Company, Contact, Project } from '../types'
import { useCurrentOrgId } from './session'
import { rememberNames } from './recordNames'
import { toastError } from '@/api/errors'

type Kinds = { contacts: Contact; companies: Company; projects: Project }
const SINGULAR = { contacts: 'contact', companies: 'company', projects: 'project' } as const

/** One contact or company by id (404 for another organization's). */
export function useRecord<K extends keyof Kinds>(resource: K, id: string) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, SINGULAR[resource], id],
    queryFn: async () =>
      unwrap(await api.GET(`/api/v1/${resource}/{id}` as '/api/v1/contacts/{id}', { params: { path: { id } } })) as unknown as Kinds[K],
    enabled: !!org,
  })
}

/** PATCH one field at a time with If-Match; a stale write reloads and says so. */
export function usePatchRecord<K extends keyof Kinds>(resource: K, record: Kinds[K] | undefined) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) =>
      versionedEdit(record!.id, record!.version, async (version) =>
        unwrap(
          await api.PATCH(`/api/v1/${resource}/{id}` as '/api/v1/contacts/{id}', {
            params: { header: { 'If-Match': `"${version}"` }, path: { id: record!.id } },
            body: patch,
          }),
        ),
      ) as unknown as Promise<Kinds[K]>,
    onSuccess: (updated) => {
      qc.setQueryData([org, SINGULAR[resource], updated.id], (old: Kinds[K] | undefined) => ({ ...old, ...updated }))
      rememberNames(qc, org, resource, [{ id: updated.id, name: updated.name }])
      void qc.invalidateQueries({ queryKey: [org, 'list', resource] })
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 412) {
        toast.error(t('errors.conflictTitle'), { description: t('errors.conflictBody') })
        void qc.invalidateQueries({ queryKey: [org, SINGULAR[resource], record?.id] })
      } else {
        toastError(e, t('lead.saveFailed'))
      }
    },
  })
}
