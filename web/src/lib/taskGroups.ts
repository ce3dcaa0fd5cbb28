/** The tasks page's agenda: which day group a task falls in, judged in the user's time zone. */
import { dayIn } from './zoned'

export const TASK_GROUPS = ['today', 'overdue', 'upcoming', 'noDate', 'done'] as const
export type TaskGroup = (typeof TASK_GROUPS)[number]

export interface AgendaTask {
  id: string
  status: string
  due_date?: string | null
  completed_at?: string | null
  created_at?: string
}

/**
 * Done tasks are done whatever their date; open ones are overdue before
 * today, today on today's calendar day (even when its hour has passed),
 * upcoming after it, and without a date on their own.
 */
export function groupOf(task: AgendaTask, today: string, tz?: string): TaskGroup {
  if (task.status === 'done') return 'done'
  if (!task.due_date) return 'noDate'
  const day = dayIn(task.due_date, tz)
  if (day < today) return 'overdue'
  if (day === today) return 'today'
  return 'upcoming'
}

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : 0)

/**
 * Tasks by group, in the order they are shown: by due time (overdue oldest
 * first), tasks without a date newest first, done ones most recently done first.
 */
export function groupTasks<T extends AgendaTask>(tasks: T[], now: Date, tz?: string): Record<TaskGroup, T[]> {
  const today = dayIn(now, tz)
  const out = { today: [], overdue: [], upcoming: [], noDate: [], done: [] } as Record<TaskGroup, T[]>
  for (const task of tasks) out[groupOf(task, today, tz)].push(task)
  const byDue = (a: T, b: T) => time(a.due_date) - time(b.due_date)
  out.today.sort(byDue)
  out.overdue.sort(byDue)
  out.upcoming.sort(byDue)
  out.noDate.sort((a, b) => time(b.created_at) - time(a.created_at))
  out.done.sort((a, b) => time(b.completed_at) - time(a.completed_at))
  return out
}
