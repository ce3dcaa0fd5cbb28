import { useTranslation } from 'react-i18next'
import { CalendarDays, Clock } from 'lucide-react'
import { hasDueTime, isOverdue, type Task } from '@/api/hooks/tasks'
import { displayTimeZoneOf, formatDate, formatTime } from '@/lib/format'
import { formatDue } from '@/lib/dueText'
import { cn } from '@/lib/utils'

/** A task's due date (and time, when it has one), red once it has passed. `timeOnly` for today's tasks. */
export function DueLabel({
  task,
  timeOnly,
  className,
}: {
  task: Pick<Task, 'due_date' | 'status'>
  timeOnly?: boolean
  className?: string
}) {
  const { i18n, t } = useTranslation()
  if (!task.due_date) return null
  const withTime = hasDueTime(task.due_date)
  const text = timeOnly
    ? withTime
      ? formatTime(task.due_date, i18n.language)
      : t('agenda.endOfDay')
    : formatDue(task.due_date, i18n.language, new Date(), displayTimeZoneOf())
  const Icon = timeOnly ? Clock : CalendarDays
  return (
    <span
      title={formatDate(task.due_date, i18n.language, withTime)}
      className={cn(
        'flex shrink-0 items-center gap-1 whitespace-nowrap text-xs text-muted-foreground',
        isOverdue(task) && 'font-medium text-destructive',
        className,
      )}
    >
      <Icon className="size-3" />
      {text}
    </span>
  )
}
