import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { errorText } from '@/api/errors'
import { useMembers } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useUpdateTask, type Task } from '@/api/hooks/tasks'
import { RecordLink } from '@/components/records/RecordLink'
import { TaskCheckbox } from '@/components/tasks/TaskCheckbox'
import { TaskDueCell } from '@/components/tasks/TaskDueCell'
import { Dialog, DialogContent, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { NativeSelect } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { TaskName } from '../project/TaskName'

const STATUSES = ['todo', 'in_progress', 'done'] as const
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const

/** One task opened from the agenda or a notification (`/tasks?task=<id>`): everything about it, editable. */
export function TaskDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const members = useMembers()
  const update = useUpdateTask()
  const task = useQuery({
    queryKey: [org, 'list', 'tasks', 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })),
    enabled: !!org,
  })
  const tk = task.data
  const set = (patch: Parameters<typeof update.mutate>[0]['patch']) => tk && update.mutate({ task: tk, patch })
  const row = (label: string, control: React.ReactNode) => (
    <div className="grid grid-cols-[7rem_1fr] items-center gap-2">
      <span className="text-xs text-muted-foreground">{label}</span>
      {control}
    </div>
  )
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-lg" aria-describedby={undefined} data-testid="task-dialog">
        <DialogHeader>
          <DialogTitle className="sr-only">{tk?.name ?? t('tasks.title')}</DialogTitle>
        </DialogHeader>
        {task.isError ? (
          <p className="text-sm text-destructive">
            {isApiError(task.error) && task.error.status === 404 ? t('agenda.taskGone') : errorText(task.error)}
          </p>
        ) : !tk ? (
          <Skeleton className="h-48" />
        ) : (
          <div className="grid gap-3">
            <div className="flex items-center gap-2 pr-8 text-base font-semibold">
              <TaskCheckbox task={tk as Task} />
              <div className="min-w-0 flex-1">
                <TaskName name={tk.name} done={tk.status === 'done'} onSave={(name) => set({ name })} />
              </div>
            </div>
            {row(
              t('tasks.status'),
              <NativeSelect
                value={tk.status}
                onChange={(e) => set({ status: e.target.value as Task['status'] })}
                className="h-8 text-[13px]"
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`tasks.statuses.${s}`)}
                  </option>
                ))}
              </NativeSelect>,
            )}
            {row(
              t('tasks.priority'),
              <NativeSelect
                value={tk.priority}
                onChange={(e) => set({ priority: e.target.value as Task['priority'] })}
                className="h-8 text-[13px]"
              >
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`tasks.priorities.${p}`)}
                  </option>
                ))}
              </NativeSelect>,
            )}
            {row(
              t('tasks.assignee'),
              <NativeSelect
                value={tk.assignee_id ?? ''}
                onChange={(e) => set({ assignee_id: e.target.value || null })}
                className="h-8 text-[13px]"
              >
                <option value="">{t('common.none')}</option>
                {members.data?.map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.name}
                  </option>
                ))}
              </NativeSelect>,
            )}
            {row(t('tasks.due'), <TaskDueCell task={tk as Task} />)}
            {(tk.lead_id || tk.project_id || tk.contact_id || tk.company_id) &&
              row(
                t('tasks.related'),
                <div className="flex flex-wrap gap-x-3 gap-y-1 text-[13px]">
                  <RecordLink kind="leads" id={tk.lead_id} className="text-primary" />
                  <RecordLink kind="projects" id={tk.project_id} className="text-primary" />
                  <RecordLink kind="contacts" id={tk.contact_id} className="text-primary" />
                  <RecordLink kind="companies" id={tk.company_id} className="text-primary" />
                </div>,
              )}
            {tk.description && <p className="whitespace-pre-wrap text-[13px] text-muted-foreground">{tk.description}</p>}
          </div>
        )}
      </DialogContent>
    </Dialog>
  )
}
