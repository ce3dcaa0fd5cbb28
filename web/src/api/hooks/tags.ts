import { useQuery } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import { useCurrentOrgId } from './session'

/** The organization's tags (names and colours), for filters and the tag editor. */
export function useTags() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'tags'],
    queryFn: async () => unwrap(await api.GET('/api/v1/tags')).data,
    enabled: !!org,
    staleTime: 60_000,
  })
}
