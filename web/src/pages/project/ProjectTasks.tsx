import { useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Loader2, Plus, Trash2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors, toastError } from '@/api/errors'
import { useMembers } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useCreateTask, useUpdateTask, type Task } from '@/api/hooks/tasks'
import { TaskCheckbox } from '@/components/tasks/TaskCheckbox'
import { TaskDueCell } from '@/components/tasks/TaskDueCell'
import { CustomFieldInputs } from '@/components/records/CustomFieldInputs'
import { useCustomFieldDrafts } from '@/components/records/useCustomFieldDrafts'
import { ConfirmDialog } from '@/components/ui/confirm'
import { TaskName } from './TaskName'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { Card, Skeleton } from '@/components/ui/misc'

const STATUSES = ['todo', 'in_progress', 'done'] as const
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const

/** The project's tasks as an editable table: status, priority, assignee and due date change in place. */
export function ProjectTasks({ projectId }: { projectId: string }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const members = useMembers()
  const update = useUpdateTask()
  const create = useCreateTask()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [fieldErrs, setFieldErrs] = useState<Record<string, string>>({})
  const [confirming, setConfirming] = useState<Task | null>(null)
  const custom = useCustomFieldDrafts('task')
  const tasks = useQuery({
    queryKey: [org, 'tasks', 'project_id', projectId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/projects/{id}/tasks', {
          params: { path: { id: projectId }, query: { sort: 'due_date,created_at', limit: 200 } },
        }),
      ).data,
    enabled: !!org,
  })
  const remove = useMutation({
    mutationFn: async (task: Task) =>
      unwrap(
        await api.DELETE('/api/v1/tasks/{id}', {
          params: { header: { 'If-Match': `"${task.version}"` }, path: { id: task.id } },
        }),
      ),
    onError: (e) => toastError(e, t('lead.saveFailed')),
    onSettled: () => {
      setConfirming(null)
      void qc.invalidateQueries({ queryKey: [org, 'tasks'] })
      void qc.invalidateQueries({ queryKey: [org, 'project', projectId] })
    },
  })
  const set = (task: Task, patch: Parameters<typeof update.mutate>[0]['patch']) => update.mutate({ task, patch })

  return (
    <Card className="overflow-hidden" data-testid="project-tasks">
      <div className="flex items-center justify-between px-4 pb-2 pt-4">
        <h2 className="text-sm font-semibold">{t('tasks.title')}</h2>
      </div>
      {/* relative: the sr-only header labels (absolutely placed) stay inside the scroller; without it they widened the whole page on a phone. */}
      <div className="relative overflow-x-auto">
        {/* Fixed columns: the name shrinks (and truncates) before the due date is cut off. */}
        <table className="w-full min-w-[680px] table-fixed text-[13px]">
          <colgroup>
            <col className="w-10" />
            <col />
            <col className="w-[7.5rem]" />
            <col className="w-[6.5rem]" />
            <col className="w-[8.5rem]" />
            <col className="w-[13rem]" />
            <col className="w-11" />
          </colgroup>
          <thead>
            <tr className="border-y bg-muted/60 text-left text-xs text-muted-foreground">
              <th className="px-4 py-2 font-medium">
                <span className="sr-only">{t('tasks.statuses.done')}</span>
              </th>
              <th className="px-2 py-2 font-medium">{t('tasks.name')}</th>
              <th className="px-2 py-2 font-medium">{t('tasks.status')}</th>
              <th className="px-2 py-2 font-medium">{t('tasks.priority')}</th>
              <th className="px-2 py-2 font-medium">{t('tasks.assignee')}</th>
              <th className="px-2 py-2 font-medium">{t('tasks.due')}</th>
              <th className="px-2 py-2">
                <span className="sr-only">{t('lists.delete')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.isPending && (
              <tr>
                <td colSpan={7} className="p-3">
                  <Skeleton className="h-8" />
                </td>
              </tr>
            )}
            {tasks.data?.map((task) => (
              <tr key={task.id} className="border-b last:border-b-0 hover:bg-accent/40" data-testid="project-task">
                <td className="px-4 py-1.5">
                  <TaskCheckbox task={task} />
                </td>
                <td className="min-w-0 px-1 py-1.5">
                  <TaskName name={task.name} done={task.status === 'done'} onSave={(name) => set(task, { name })} />
                </td>
                <td className="px-2 py-1.5">
                  <NativeSelect
                    aria-label={t('tasks.statusOf', { name: task.name })}
                    value={task.status}
                    onChange={(e) => set(task, { status: e.target.value as Task['status'] })}
                    className="h-7 w-full pl-2 pr-6 text-xs"
                  >
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`tasks.statuses.${s}`)}
                      </option>
                    ))}
                  </NativeSelect>
                </td>
                <td className="px-2 py-1.5">
                  <NativeSelect
                    aria-label={t('tasks.priorityOf', { name: task.name })}
                    value={task.priority}
                    onChange={(e) => set(task, { priority: e.target.value as Task['priority'] })}
                    className="h-7 w-full pl-2 pr-6 text-xs"
                  >
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {t(`tasks.priorities.${p}`)}
                      </option>
                    ))}
                  </NativeSelect>
                </td>
                <td className="px-2 py-1.5">
                  <NativeSelect
                    aria-label={t('tasks.assigneeOf', { name: task.name })}
                    value={task.assignee_id ?? ''}
                    onChange={(e) => set(task, { assignee_id: e.target.value || null })}
                    className="h-7 w-full pl-2 pr-6 text-xs"
                  >
                    <option value="">{t('common.none')}</option>
                    {members.data?.map((m) => (
                      <option key={m.user_id} value={m.user_id}>
                        {m.name}
                      </option>
                    ))}
                  </NativeSelect>
                </td>
                <td className="px-2 py-1.5">
                  <TaskDueCell task={task} />
                </td>
                <td className="px-2 py-1.5">
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    className="size-7"
                    aria-label={t('tasks.delete', { name: task.name })}
                    onClick={() => setConfirming(task)}
                  >
                    <Trash2 />
                  </Button>
                </td>
              </tr>
            ))}
            {tasks.data?.length === 0 && (
              <tr>
                <td colSpan={7} className="px-4 py-6 text-center text-muted-foreground">
                  {t('tasks.none')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <form
        className="grid gap-2 border-t p-3"
        onSubmit={(e) => {
          e.preventDefault()
          if (!name.trim()) return
          const missing = custom.missing()
          setFieldErrs(Object.fromEntries(missing.map((k) => [k, t('auth.required')])))
          if (missing.length) return
          create.mutate(
            { name: name.trim(), project_id: projectId, custom_fields: custom.body(), tags: [] },
            {
              onSuccess: () => {
                setName('')
                setError(null)
                setFieldErrs({})
                custom.reset()
                void qc.invalidateQueries({ queryKey: [org, 'project', projectId] })
              },
              onError: (err) => {
                const m = fieldErrors(err, custom.formFields)
                setFieldErrs(m.fields)
                setError(m.form)
              },
            },
          )
        }}
      >
        <div className="flex gap-2">
          <Input
            aria-label={t('tasks.newTask')}
            placeholder={t('tasks.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="h-8 text-[13px]"
          />
          <Button type="submit" size="sm" variant="outline" disabled={!name.trim() || create.isPending}>
            {create.isPending ? <Loader2 className="animate-spin" /> : <Plus />}
            {t('tasks.add')}
          </Button>
        </div>
        <CustomFieldInputs defs={custom.defs} values={custom.values} errors={fieldErrs} onChange={custom.set} />
        {error && (
          <p role="alert" className="text-xs text-destructive">
            {error}
          </p>
        )}
      </form>
      <ConfirmDialog
        open={!!confirming}
        onOpenChange={(o) => !o && setConfirming(null)}
        title={t('tasks.confirmDelete', { name: confirming?.name ?? '' })}
        body={t('tasks.confirmDeleteBody')}
        confirmLabel={t('lists.delete')}
        busy={remove.isPending}
        onConfirm={() => confirming && remove.mutate(confirming)}
      />
    </Card>
  )
}
