import { useEffect } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { CalendarDays } from 'lucide-react'
import { useMemberMap } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { isOverdue, type Task } from '@/api/hooks/tasks'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { RecordLink } from '@/components/records/RecordLink'
import { NewTaskDialog } from '@/components/tasks/NewTaskDialog'
import { TaskCheckbox } from '@/components/tasks/TaskCheckbox'
import { isMine, needsDefaultScope, withScope } from '@/lib/taskScope'
import { Avatar, Badge } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'

const STATUSES = ['todo', 'in_progress', 'done'] as const
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const

const PRIORITY_STYLE: Record<string, string> = {
  urgent: 'border-destructive/30 bg-destructive/10 text-destructive',
  high: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
}

/** Every task across projects and leads; "mine" by default. */
export default function TasksPage() {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const members = useMemberMap()
  const [params, setParams] = useSearchParams()
  const me = session?.user.id ?? ''
  const mine = isMine(params, me)

  useEffect(() => {
    document.title = `${t('nav.tasks')} · Loved CRM`
  }, [t])

  // Opening the page plainly shows my tasks; "everyone" is explicit in the URL, so it stays.
  useEffect(() => {
    if (me && needsDefaultScope(params)) setParams(withScope(params, me, true), { replace: true })
  }, [me, params, setParams])

  const scope = (onlyMine: boolean) => setParams(withScope(params, me, onlyMine))

  const columns: ListColumn<Task>[] = [
    {
      key: 'name',
      label: t('tasks.name'),
      sort: 'name',
      width: 'minmax(14rem,3fr)',
      render: (task) => (
        <span className="flex min-w-0 items-center gap-2.5">
          <TaskCheckbox task={task} />
          <span className={cn('truncate', task.status === 'done' && 'text-muted-foreground line-through')}>{task.name}</span>
        </span>
      ),
    },
    {
      key: 'status',
      label: t('tasks.status'),
      width: '8rem',
      render: (task) => <Badge>{t(`tasks.statuses.${task.status}`)}</Badge>,
    },
    {
      key: 'priority',
      label: t('tasks.priority'),
      width: '7rem',
      hideBelow: 'md',
      render: (task) => <Badge className={PRIORITY_STYLE[task.priority]}>{t(`tasks.priorities.${task.priority}`)}</Badge>,
    },
    {
      key: 'due',
      label: t('tasks.due'),
      sort: 'due_date',
      width: '9rem',
      render: (task) =>
        task.due_date ? (
          <span className={cn('flex items-center gap-1 text-muted-foreground', isOverdue(task) && 'font-medium text-destructive')}>
            <CalendarDays className="size-3.5" />
            {formatDate(task.due_date, i18n.language)}
          </span>
        ) : null,
    },
    {
      key: 'assignee',
      label: t('tasks.assignee'),
      width: 'minmax(8rem,1fr)',
      hideBelow: 'lg',
      render: (task) => {
        const m = task.assignee_id ? members.get(task.assignee_id) : undefined
        return m ? (
          <span className="flex min-w-0 items-center gap-2">
            <Avatar name={m.name} />
            <span className="truncate">{m.name}</span>
          </span>
        ) : null
      },
    },
    {
      key: 'project',
      label: t('tasks.project'),
      width: 'minmax(8rem,1fr)',
      hideBelow: 'md',
      render: (task) => <RecordLink kind="projects" id={task.project_id} />,
    },
    {
      key: 'lead',
      label: t('tasks.related'),
      width: '7rem',
      hideBelow: 'md',
      render: (task) =>
        task.lead_id ? (
          <Link to={`/leads/${task.lead_id}`} onClick={(e) => e.stopPropagation()} className="text-primary hover:underline">
            {t('tasks.openLead')}
          </Link>
        ) : null,
    },
  ]

  return (
    <ResourceList<Task>
      resource="tasks"
      title={t('nav.tasks')}
      columns={columns}
      toolbar={
        <div role="group" aria-label={t('tasks.scope')} className="flex h-8 rounded-md border bg-card p-0.5 text-[13px] shadow-xs">
          {[true, false].map((onlyMine) => (
            <button
              key={String(onlyMine)}
              type="button"
              aria-pressed={mine === onlyMine}
              onClick={() => scope(onlyMine)}
              className={cn('rounded px-2.5 text-muted-foreground', mine === onlyMine && 'bg-accent font-medium text-foreground')}
            >
              {t(onlyMine ? 'tasks.mine' : 'tasks.everyone')}
            </button>
          ))}
        </div>
      }
      filters={[
        { field: 'status', label: t('tasks.status'), options: STATUSES.map((s) => ({ value: s, label: t(`tasks.statuses.${s}`) })) },
        {
          field: 'priority',
          label: t('tasks.priority'),
          options: PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priorities.${p}`) })),
        },
        {
          field: 'assignee_id',
          label: t('tasks.assignee'),
          options: [...members.values()].map((m) => ({ value: m.user_id, label: m.name })),
        },
        { field: 'due_date', label: t('tasks.due') },
        { field: 'name', label: t('tasks.name') },
      ]}
      actions={<NewTaskDialog />}
      empty={{ title: t('tasks.emptyTitle'), body: t('tasks.emptyBody'), action: <NewTaskDialog /> }}
    />
  )
}
