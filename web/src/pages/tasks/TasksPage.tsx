import { useEffect } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { CalendarDays, CheckSquare, LayoutList, ListChecks } from 'lucide-react'
import { useMemberMap } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { isOverdue, type Task } from '@/api/hooks/tasks'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import type { BulkField } from '@/components/lists/BulkEditDialog'
import { RecordLink } from '@/components/records/RecordLink'
import { NewTaskDialog } from '@/components/tasks/NewTaskDialog'
import { TaskCheckbox } from '@/components/tasks/TaskCheckbox'
import { isMine, needsDefaultScope, withScope } from '@/lib/taskScope'
import { Avatar, Badge } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'
import { TaskAgenda } from './TaskAgenda'
import { TaskDialog } from './TaskDialog'

const STATUSES = ['todo', 'in_progress', 'done'] as const
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const

const PRIORITY_STYLE: Record<string, string> = {
  urgent: 'border-destructive/30 bg-destructive/10 text-destructive',
  high: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
}

/** The URL parameter choosing the table instead of the agenda. */
const LAYOUT = 'layout'

/** Every task across projects and leads, "mine" by default: an agenda (Overdue, Today, Upcoming, Done) or a table. */
export default function TasksPage() {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const members = useMemberMap()
  const [params, setParams] = useSearchParams()
  const me = session?.user.id ?? ''
  const mine = isMine(params, me)
  const table = params.get(LAYOUT) === 'table'
  const openTask = params.get('task')

  useEffect(() => {
    document.title = `${t('nav.tasks')} · Loved CRM`
  }, [t])

  // Opening the page plainly shows my tasks; "everyone" is explicit in the URL, so it stays.
  useEffect(() => {
    if (me && needsDefaultScope(params)) setParams(withScope(params, me, true), { replace: true })
  }, [me, params, setParams])

  const scope = (onlyMine: boolean) => setParams(withScope(params, me, onlyMine))
  const setLayout = (asTable: boolean) => {
    const next = new URLSearchParams(asTable ? params : withScope(new URLSearchParams(), me, mine))
    if (asTable) next.set(LAYOUT, 'table')
    else next.delete(LAYOUT)
    setParams(next)
  }
  const open = (task: Task) => {
    const next = new URLSearchParams(params)
    next.set('task', task.id)
    setParams(next)
  }
  const closeTask = () => {
    const next = new URLSearchParams(params)
    next.delete('task')
    setParams(next, { replace: true })
  }

  const memberOptions = [...members.values()].map((m) => ({ value: m.user_id, label: m.name }))
  const scopeSwitch = (
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
  )
  const layoutSwitch = (
    <div role="group" aria-label={t('agenda.layout')} className="flex h-8 rounded-md border bg-card p-0.5 text-[13px] shadow-xs">
      {[false, true].map((asTable) => {
        const Icon = asTable ? LayoutList : ListChecks
        return (
          <button
            key={String(asTable)}
            type="button"
            aria-pressed={table === asTable}
            onClick={() => setLayout(asTable)}
            className={cn(
              'flex items-center gap-1.5 rounded px-2.5 text-muted-foreground',
              table === asTable && 'bg-accent font-medium text-foreground',
            )}
          >
            <Icon className="size-3.5" />
            {t(asTable ? 'agenda.table' : 'agenda.agenda')}
          </button>
        )
      })}
    </div>
  )
  const emptyState = (
    <div
      className="mx-4 flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-16 text-center md:mx-6"
      data-testid="tasks-empty"
    >
      <span className="flex size-12 items-center justify-center rounded-full bg-primary/10 text-primary">
        <CheckSquare className="size-6" />
      </span>
      <p className="font-medium">{mine ? t('agenda.emptyMineTitle') : t('tasks.emptyTitle')}</p>
      <p className="max-w-sm text-sm text-muted-foreground">{t('agenda.emptyBody')}</p>
      <div className="mt-1 flex flex-wrap justify-center gap-2">
        <NewTaskDialog testId="new-task-empty" />
        <Link to="/pipeline" className="inline-flex h-8 items-center rounded-md px-3 text-[13px] font-medium text-primary hover:bg-accent">
          {t('agenda.fromPipeline')}
        </Link>
      </div>
    </div>
  )

  const columns: ListColumn<Task>[] = [
    {
      key: 'name',
      label: t('tasks.name'),
      sort: 'name',
      width: 'minmax(14rem,3fr)',
      render: (task) => (
        <span className="flex min-w-0 items-center gap-2.5">
          <TaskCheckbox task={task} />
          <button
            type="button"
            onClick={() => open(task)}
            className={cn('truncate text-left hover:underline', task.status === 'done' && 'text-muted-foreground line-through')}
          >
            {task.name}
          </button>
        </span>
      ),
    },
    {
      key: 'status',
      label: t('tasks.status'),
      width: '9rem',
      render: (task) => <Badge>{t(`tasks.statuses.${task.status}`)}</Badge>,
      edit: {
        label: (task) => t('tasks.statusOf', { name: task.name }),
        input: 'select',
        options: STATUSES.map((s) => ({ value: s, label: t(`tasks.statuses.${s}`) })),
        value: (task) => task.status,
        patch: (v) => ({ status: v }),
      },
    },
    {
      key: 'priority',
      label: t('tasks.priority'),
      width: '8rem',
      hideBelow: 'md',
      render: (task) => <Badge className={PRIORITY_STYLE[task.priority]}>{t(`tasks.priorities.${task.priority}`)}</Badge>,
      edit: {
        label: (task) => t('tasks.priorityOf', { name: task.name }),
        input: 'select',
        options: PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priorities.${p}`) })),
        value: (task) => task.priority,
        patch: (v) => ({ priority: v }),
      },
    },
    {
      key: 'due',
      label: t('tasks.due'),
      sort: 'due_date',
      width: '11rem',
      render: (task) =>
        task.due_date ? (
          <span className={cn('flex items-center gap-1 text-muted-foreground', isOverdue(task) && 'font-medium text-destructive')}>
            <CalendarDays className="size-3.5" />
            {formatDate(task.due_date, i18n.language, true)}
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
      width: 'minmax(7rem,1fr)',
      hideBelow: 'md',
      render: (task) => <RecordLink kind="leads" id={task.lead_id} />,
    },
  ]
  const bulkFields: BulkField[] = [
    {
      key: 'assignee',
      label: t('tasks.assignee'),
      input: 'member',
      change: (v) => ({ kind: 'field', field: 'assignee_id', value: v || null }),
    },
    {
      key: 'status',
      label: t('tasks.status'),
      input: 'choice',
      options: STATUSES.map((s) => ({ value: s, label: t(`tasks.statuses.${s}`) })),
      change: (v) => ({ kind: 'field', field: 'status', value: v }),
    },
    {
      key: 'priority',
      label: t('tasks.priority'),
      input: 'choice',
      options: PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priorities.${p}`) })),
      change: (v) => ({ kind: 'field', field: 'priority', value: v }),
    },
    {
      key: 'project',
      label: t('tasks.project'),
      input: 'record',
      record: 'projects',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'project_id', value: v || null }),
    },
  ]

  return (
    <>
      {table ? (
        <ResourceList<Task>
          resource="tasks"
          entity="task"
          title={t('nav.tasks')}
          allLabel={t('views.allTasks')}
          columns={columns}
          bulkFields={bulkFields}
          rowName={(task) => task.name}
          keepParams={['layout', 'scope']}
          toolbar={
            <>
              {layoutSwitch}
              {scopeSwitch}
            </>
          }
          filters={[
            {
              field: 'status',
              label: t('tasks.status'),
              nullable: false,
              options: STATUSES.map((s) => ({ value: s, label: t(`tasks.statuses.${s}`) })),
            },
            {
              field: 'priority',
              label: t('tasks.priority'),
              nullable: false,
              options: PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priorities.${p}`) })),
            },
            { field: 'assignee_id', label: t('tasks.assignee'), type: 'ref', options: memberOptions },
            { field: 'project_id', label: t('tasks.project'), picker: 'projects' },
            { field: 'lead_id', label: t('tasks.lead'), picker: 'leads' },
            { field: 'due_date', label: t('tasks.due'), type: 'timestamp' },
            { field: 'name', label: t('tasks.name'), nullable: false },
          ]}
          actions={<NewTaskDialog />}
          empty={{ title: t('tasks.emptyTitle'), body: t('tasks.emptyBody'), action: <NewTaskDialog testId="new-task-empty" /> }}
        />
      ) : (
        <div className="flex h-full flex-col">
          <div className="flex flex-wrap items-center gap-3 px-4 pb-3 pt-5 md:px-6">
            <div>
              <h1 className="text-lg font-semibold tracking-tight">{t('nav.tasks')}</h1>
              <p className="text-xs text-muted-foreground">{t('agenda.subtitle')}</p>
            </div>
            <div className="ml-auto flex items-center gap-2">
              <NewTaskDialog />
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-2 px-4 pb-4 md:px-6">
            {layoutSwitch}
            {scopeSwitch}
          </div>
          <TaskAgenda assignee={mine ? me : null} showAssignee={!mine} onOpen={open} empty={emptyState} />
        </div>
      )}
      {openTask && <TaskDialog id={openTask} onClose={closeTask} />}
    </>
  )
}
