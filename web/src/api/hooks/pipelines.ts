import { useQuery } from '@tanstack/react-query'
import { api, orgHeader } from '../client'
import { unwrap } from '../problem'
import type { Stage } from '../types'
import { useCurrentOrgId } from './session'

export function usePipelines() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'pipelines'],
    queryFn: async () => unwrap(await api.GET('/api/v1/pipelines', { params: { header: orgHeader } })).data,
    enabled: !!org,
    staleTime: 60_000,
  })
}

/** stage id → stage, across every pipeline. */
export function useStageMap(): Map<string, Stage> {
  const { data } = usePipelines()
  const map = new Map<string, Stage>()
  for (const p of data ?? []) for (const s of p.stages) map.set(s.id, s)
  return map
}

export function boardKey(org: string | null, pipelineId: string | undefined) {
  return [org, 'board', pipelineId] as const
}

export function useBoard(pipelineId: string | undefined) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: boardKey(org, pipelineId),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/pipelines/{id}/board', {
          params: { header: orgHeader, path: { id: pipelineId! }, query: { per_stage: 100 } },
        }),
      ),
    enabled: !!org && !!pipelineId,
  })
}
