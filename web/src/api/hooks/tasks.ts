import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { api, orgHeader } from '../client'
import { isApiError, unwrap } from '../problem'
import { toastError } from '../errors'
import { versionedEdit } from '../versioned'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

export type Task = components['schemas']['TaskOut']
export type CreateTask = components['schemas']['CreateTask']
export type PatchTask = components['schemas']['PatchTask']

/** Tasks linked to one record (`lead_id`, `contact_id`…), open ones first by due date. */
export function useRecordTasks(field: 'lead_id' | 'contact_id' | 'company_id', id: string) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'tasks', field, id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/tasks', {
          params: { header: orgHeader, query: { [`${field}[eq]`]: id, sort: 'due_date,created_at', limit: 200 } as { sort: string } },
        }),
      ).data,
    enabled: !!org,
  })
}

export function useCreateTask() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: CreateTask) => unwrap(await api.POST('/api/v1/tasks', { params: { header: orgHeader }, body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: [org, 'tasks'] })
      void qc.invalidateQueries({ queryKey: [org, 'list', 'tasks'] })
    },
  })
}

/** PATCH with If-Match; the lists refetch either way so a stale row corrects itself. */
export function useUpdateTask() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  return useMutation({
    mutationFn: ({ task, patch }: { task: Task; patch: PatchTask }) =>
      versionedEdit(task.id, task.version, async (version) =>
        unwrap(
          await api.PATCH('/api/v1/tasks/{id}', {
            params: { header: { ...orgHeader, 'If-Match': `"${version}"` } as typeof orgHeader, path: { id: task.id } },
            body: patch,
          }),
        ),
      ),
    onError: (e) =>
      isApiError(e) && e.status === 412
        ? toast.error(t('errors.conflictTitle'), { description: t('errors.conflictBody') })
        : toastError(e, t('lead.saveFailed')),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: [org, 'tasks'] })
      void qc.invalidateQueries({ queryKey: [org, 'list', 'tasks'] })
    },
  })
}

/** A date input's `2026-11-30` as the end of that day in the user's time zone. */
export function dueFromDateInput(value: string): string | null {
  if (!value) return null
  const d = new Date(`${value}T23:59:00`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

export function isOverdue(task: Pick<Task, 'due_date' | 'status'>, now = Date.now()): boolean {
  return !!task.due_date && task.status !== 'done' && new Date(task.due_date).getTime() < now
}
