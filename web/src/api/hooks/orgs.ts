import { useQuery } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import { useCurrentOrgId } from './session'

export function useOrganizations(enabled = true) {
  return useQuery({
    queryKey: ['organizations'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations')).data,
    enabled,
    staleTime: 60_000,
  })
}

export function useMembers() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'members'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations/current/members')).data,
    enabled: !!org,
    staleTime: 5 * 60_000,
  })
}

/** user id → member, for showing assignees by name. */
export function useMemberMap() {
  const { data } = useMembers()
  return new Map((data ?? []).map((m) => [m.user_id, m]))
}
