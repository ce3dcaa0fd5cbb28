import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

export type Workspace = components['schemas']['CurrentOrganization']
export type WorkspacePatch = components['schemas']['PatchOrganization']

export function workspaceKey(org: string | null) {
  return [org, 'workspace'] as const
}

/** The current organization as its settings show it: name, default currency, logo and colour. */
export function useWorkspace() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: workspaceKey(org),
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations/current')),
    enabled: !!org,
    staleTime: 5 * 60_000,
  })
}

/** PATCH /organizations/current with If-Match; the sidebar, the board and the dashboard follow. */
export function useUpdateWorkspace() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ version, patch }: { version: number; patch: WorkspacePatch }) =>
      unwrap(
        await api.PATCH('/api/v1/organizations/current', {
          params: { header: { 'If-Match': `"${version}"` } },
          body: patch,
        }),
      ),
    onSuccess: async (saved) => {
      // A read in flight (a resync, a focus) must not land after this and put the old version back.
      await qc.cancelQueries({ queryKey: workspaceKey(org) })
      qc.setQueryData(workspaceKey(org), saved)
      void qc.invalidateQueries({ queryKey: ['organizations'] })
      void qc.invalidateQueries({ queryKey: [org, 'board'] })
      void qc.invalidateQueries({ queryKey: [org, 'dashboard'] })
    },
  })
}
