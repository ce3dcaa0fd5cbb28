import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import { useCurrentOrgId } from './session'

/** The dashboard of one pipeline (the default one when none is given) over the last `days` days. */
export function useDashboard(pipelineId: string | undefined, days: number) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'dashboard', pipelineId ?? 'default', days],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/dashboard', {
          params: { query: { days, ...(pipelineId ? { pipeline_id: pipelineId } : {}) } },
        }),
      ),
    enabled: !!org,
    // Switching the period keeps the current figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}
