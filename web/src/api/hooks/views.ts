import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

export type View = components['schemas']['View']
export type ViewList = 'contacts' | 'companies' | 'leads' | 'tasks' | 'projects'

export function viewsKey(org: string | null, list: ViewList) {
  return [org, 'views', list] as const
}

/** The saved views of one list the caller may use: their own and the shared ones. */
export function useViews(list: ViewList) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: viewsKey(org, list),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/views', {
          params: { query: { 'entity_type[eq]': list, limit: 200, sort: 'name' } as { limit: number } },
        }),
      ).data,
    enabled: !!org,
    staleTime: 60_000,
  })
}

/** Save a new view, change one (If-Match), delete one (If-Match). */
export function useViewMutations(list: ViewList) {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const refresh = () => qc.invalidateQueries({ queryKey: viewsKey(org, list) })
  const create = useMutation({
    mutationFn: async (body: { name: string; query: string; columns: string[]; shared: boolean }) =>
      unwrap(await api.POST('/api/v1/views', { body: { ...body, entity_type: list } })),
    onSuccess: refresh,
  })
  const update = useMutation({
    mutationFn: async ({ view, patch }: { view: View; patch: components['schemas']['PatchView'] }) =>
      unwrap(
        await api.PATCH('/api/v1/views/{id}', {
          params: { header: { 'If-Match': `"${view.version}"` }, path: { id: view.id } },
          body: patch,
        }),
      ),
    onSettled: refresh,
  })
  const remove = useMutation({
    mutationFn: async (view: View) =>
      unwrap(
        await api.DELETE('/api/v1/views/{id}', {
          params: { header: { 'If-Match': `"${view.version}"` }, path: { id: view.id } },
        }),
      ),
    onSettled: refresh,
  })
  return { create, update, remove }
}
