import { useMemo, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { AlarmClock, CalendarCheck2, CalendarDays, CheckCircle2, ChevronDown, ChevronRight, Inbox, Sun } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { errorText } from '@/api/errors'
import { useMemberMap } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Task } from '@/api/hooks/tasks'
import { RecordLink } from '@/components/records/RecordLink'
import { DueLabel } from '@/components/tasks/DueLabel'
import { TaskCheckbox } from '@/components/tasks/TaskCheckbox'
import { Avatar, Badge, Skeleton } from '@/components/ui/misc'
import { displayTimeZoneOf } from '@/lib/format'
import { groupTasks, type TaskGroup } from '@/lib/taskGroups'
import { cn } from '@/lib/utils'

const GROUP_ICON: Record<TaskGroup, typeof Sun> = {
  overdue: AlarmClock,
  today: Sun,
  upcoming: CalendarDays,
  noDate: Inbox,
  done: CheckCircle2,
}
/** Overdue first: what needs doing now, then today, then later. */
const ORDER: TaskGroup[] = ['overdue', 'today', 'upcoming', 'noDate', 'done']

const PRIORITY_STYLE: Record<string, string> = {
  urgent: 'border-destructive/30 bg-destructive/10 text-destructive',
  high: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
}

/**
 * The tasks as an agenda: Overdue, Today, Upcoming, without a date, and the
 * latest done ones (folded), judged by the user's time zone; due times shown.
 */
export function TaskAgenda({
  assignee,
  showAssignee,
  onOpen,
  empty,
}: {
  /** Only this member's tasks (mine), or everyone's when null. */
  assignee: string | null
  showAssignee: boolean
  onOpen: (task: Task) => void
  empty: React.ReactNode
}) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const [showDone, setShowDone] = useState(false)
  const mine: Record<string, string> = assignee ? { 'assignee_id[eq]': assignee } : {}
  const fetchTasks = async (query: Record<string, string | number>) =>
    unwrap(await api.GET('/api/v1/tasks', { params: { query: query as { limit: number } } })).data
  const open = useQuery({
    queryKey: [org, 'list', 'tasks', 'agenda-open', assignee],
    queryFn: () => fetchTasks({ ...mine, 'status[in]': 'todo,in_progress', sort: 'due_date,created_at', limit: 200 }),
    enabled: !!org,
  })
  const done = useQuery({
    queryKey: [org, 'list', 'tasks', 'agenda-done', assignee],
    queryFn: () => fetchTasks({ ...mine, 'status[eq]': 'done', sort: '-completed_at', limit: 20 }),
    enabled: !!org,
  })
  const groups = useMemo(
    () => groupTasks([...(open.data ?? []), ...(done.data ?? [])], new Date(), displayTimeZoneOf()),
    [open.data, done.data],
  )

  if (open.isPending || done.isPending) {
    return (
      <div className="space-y-3 px-4 md:px-6">
        <Skeleton className="h-6 w-32" />
        <Skeleton className="h-12 w-full" />
        <Skeleton className="h-12 w-full" />
      </div>
    )
  }
  if (open.isError || done.isError) {
    return (
      <p className="px-6 py-8 text-center text-sm text-destructive" role="alert">
        {errorText(open.error ?? done.error)}
      </p>
    )
  }
  const openCount = (open.data ?? []).length
  if (openCount === 0 && (done.data ?? []).length === 0) return <>{empty}</>

  return (
    <div className="scrollbar-thin min-h-0 flex-1 space-y-5 overflow-y-auto px-4 pb-6 md:px-6" data-testid="task-agenda">
      {openCount === 0 && (
        <div
          className="flex items-center gap-3 rounded-lg border border-success/30 bg-success/5 px-4 py-3 text-[13px]"
          data-testid="all-done"
        >
          <CalendarCheck2 className="size-5 text-success" />
          <span>{t('agenda.allDone')}</span>
        </div>
      )}
      {openCount > 0 && groups.overdue.length === 0 && groups.today.length === 0 && (
        <p className="rounded-lg border border-dashed px-4 py-3 text-[13px] text-muted-foreground">{t('agenda.clearToday')}</p>
      )}
      {ORDER.map((g) => {
        const list = groups[g]
        if (list.length === 0) return null
        const Icon = GROUP_ICON[g]
        const folded = g === 'done' && !showDone
        return (
          <section key={g} aria-labelledby={`group-${g}`} data-testid={`task-group-${g}`}>
            <h2 id={`group-${g}`} className="mb-2 flex items-center gap-2 text-[13px] font-semibold">
              {g === 'done' ? (
                <button
                  type="button"
                  className="flex items-center gap-2 rounded hover:text-foreground"
                  aria-expanded={showDone}
                  onClick={() => setShowDone((s) => !s)}
                >
                  {showDone ? <ChevronDown className="size-4" /> : <ChevronRight className="size-4" />}
                  <Icon className="size-4 text-success" />
                  {t('agenda.groups.done')}
                </button>
              ) : (
                <>
                  <Icon className={cn('size-4', g === 'overdue' ? 'text-destructive' : 'text-muted-foreground')} />
                  <span className={cn(g === 'overdue' && 'text-destructive')}>{t(`agenda.groups.${g}`)}</span>
                </>
              )}
              <span className="rounded-full bg-secondary px-1.5 text-[11px] font-medium tabular-nums text-muted-foreground">
                {list.length}
              </span>
            </h2>
            {!folded && (
              <ul className="divide-y overflow-hidden rounded-lg border bg-card">
                {list.map((task) => (
                  <AgendaRow key={task.id} task={task} today={g === 'today'} showAssignee={showAssignee} onOpen={() => onOpen(task)} />
                ))}
              </ul>
            )}
          </section>
        )
      })}
    </div>
  )
}

function AgendaRow({ task, today, showAssignee, onOpen }: { task: Task; today: boolean; showAssignee: boolean; onOpen: () => void }) {
  const { t } = useTranslation()
  const members = useMemberMap()
  const who = task.assignee_id ? members.get(task.assignee_id) : undefined
  const done = task.status === 'done'
  return (
    <li className="flex min-h-11 items-center gap-3 px-3 py-2 text-[13px] hover:bg-accent/50" data-testid="task-row">
      <TaskCheckbox task={task} />
      <button
        type="button"
        onClick={onOpen}
        className={cn('min-w-0 flex-1 truncate text-left hover:underline', done && 'text-muted-foreground line-through')}
      >
        {task.name}
      </button>
      {task.status === 'in_progress' && <Badge className="hidden sm:inline-flex">{t('tasks.statuses.in_progress')}</Badge>}
      {PRIORITY_STYLE[task.priority] && (
        <Badge className={cn('hidden sm:inline-flex', PRIORITY_STYLE[task.priority])}>{t(`tasks.priorities.${task.priority}`)}</Badge>
      )}
      <span className="hidden max-w-[10rem] text-xs text-muted-foreground md:flex">
        {task.lead_id ? (
          <RecordLink kind="leads" id={task.lead_id} />
        ) : task.project_id ? (
          <RecordLink kind="projects" id={task.project_id} />
        ) : task.contact_id ? (
          <RecordLink kind="contacts" id={task.contact_id} />
        ) : task.company_id ? (
          <RecordLink kind="companies" id={task.company_id} />
        ) : null}
      </span>
      {!done && <DueLabel task={task} timeOnly={today} />}
      {showAssignee && who && <Avatar name={who.name} className="size-5 text-[9px]" />}
    </li>
  )
}
