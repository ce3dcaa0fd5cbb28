import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { api } from '../client'
import { isApiError, unwrap } from '../problem'
import { toastError } from '../errors'
import { versionedEdit } from '../versioned'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'
import { displayTimeZoneOf } from '@/lib/format'
import { END_OF_DAY, instantOf, wallTime, type WallTime } from '@/lib/zoned'

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
          params: { query: { [`${field}[eq]`]: id, sort: 'due_date,created_at', limit: 200 } as { sort: string } },
        }),
      ).data,
    enabled: !!org,
  })
}

export function useCreateTask() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: CreateTask) => unwrap(await api.POST('/api/v1/tasks', { body })),
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
            params: { header: { 'If-Match': `"${version}"` }, path: { id: task.id } },
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

/**
 * A due date and time from a date input (`2026-11-30`) and a time input
 * (`14:30`, or empty for the end of that day), read in the user's time zone.
 */
export function dueFromInputs(date: string, time = ''): string | null {
  return instantOf(date, time || END_OF_DAY, displayTimeZoneOf())
}

/** The date and time inputs' values for a due timestamp, in the user's time zone (no time at the end of the day). */
export function dueInputs(iso: string | null | undefined): WallTime {
  if (!iso) return { date: '', time: '' }
  const w = wallTime(iso, displayTimeZoneOf())
  return { date: w.date, time: w.time === END_OF_DAY ? '' : w.time }
}

/** True when the due date names a time of day (not just the day, saved as its end). */
export function hasDueTime(iso: string | null | undefined): boolean {
  return !!iso && dueInputs(iso).time !== ''
}

export function isOverdue(task: Pick<Task, 'due_date' | 'status'>, now = Date.now()): boolean {
  return !!task.due_date && task.status !== 'done' && new Date(task.due_date).getTime() < now
}
