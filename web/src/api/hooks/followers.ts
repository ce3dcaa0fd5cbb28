import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../client'
import { unwrap } from '../problem'
import { toastError } from '../errors'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

export type Follower = components['schemas']['Follower']

const key = (org: string | null, leadId: string) => [org, 'lead', leadId, 'followers']

/** Who follows a lead (hears about its moves, outcome and comments). */
export function useLeadFollowers(leadId: string) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: key(org, leadId),
    queryFn: async () => unwrap(await api.GET('/api/v1/leads/{id}/followers', { params: { path: { id: leadId } } })).data,
    enabled: !!org && !!leadId,
  })
}

/**
 * Follows or unfollows a lead: `userId` is yourself, or (managers and the
 * lead's assignee) another member who can see it.
 */
export function useSetFollower(leadId: string) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  return useMutation({
    mutationFn: async ({ userId, follow }: { userId: string; follow: boolean }) => {
      const params = { path: { id: leadId, user_id: userId } }
      if (follow) return unwrap(await api.PUT('/api/v1/leads/{id}/followers/{user_id}', { params })).data
      unwrap(await api.DELETE('/api/v1/leads/{id}/followers/{user_id}', { params }))
      return null
    },
    onSuccess: (list, { userId }) => {
      if (list) qc.setQueryData(key(org, leadId), list)
      else qc.setQueryData<Follower[]>(key(org, leadId), (old) => old?.filter((f) => f.user_id !== userId))
    },
    onError: (e) => toastError(e, t('deal.followersFailed')),
  })
}
