import { useQuery } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import type { Stage } from '../types'
import { useCurrentOrgId } from './session'

export function usePipelines() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'pipelines'],
    queryFn: async () => unwrap(await api.GET('/api/v1/pipelines')).data,
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

/** The board's filters as its request sends them (`assigned_to`, `tags`, `q`). */
export type BoardQuery = { assigned_to?: string; tags?: string; q?: string }

/** One cached board per pipeline and filters; `[org, 'board']` covers them all. */
export function boardKey(org: string | null, pipelineId: string | undefined, query: BoardQuery = {}) {
  return [org, 'board', pipelineId, query] as const
}

export function useBoard(pipelineId: string | undefined, query: BoardQuery = {}) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: boardKey(org, pipelineId, query),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/pipelines/{id}/board', {
          params: { path: { id: pipelineId! }, query: { per_stage: 100, ...query } },
        }),
      ),
    enabled: !!org && !!pipelineId,
    // Changing a filter keeps the last board on screen until the new one arrives.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === pipelineId ? previous : undefined),
  })
}
