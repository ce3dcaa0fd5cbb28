import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { dueFromInputs, dueInputs, isOverdue, useUpdateTask, type Task } from '@/api/hooks/tasks'
import { cn } from '@/lib/utils'
import { DueInput } from './DueInput'

/** A task's due date and time edited in place: saved when focus leaves both inputs. */
export function TaskDueCell({ task, className }: { task: Task; className?: string }) {
  const { t } = useTranslation()
  const update = useUpdateTask()
  const saved = dueInputs(task.due_date)
  const [draft, setDraft] = useState(saved)
  useEffect(() => setDraft(dueInputs(task.due_date)), [task.due_date])
  return (
    <DueInput
      size="sm"
      label={t('tasks.dueOf', { name: task.name })}
      timeLabel={t('tasks.dueTimeOf', { name: task.name })}
      date={draft.date}
      time={draft.time}
      onChange={(date, time) => setDraft({ date, time })}
      onBlur={() => {
        if (draft.date === saved.date && draft.time === saved.time) return
        update.mutate({ task, patch: { due_date: dueFromInputs(draft.date, draft.time) } })
      }}
      className={cn(isOverdue(task) && '[&_input]:text-destructive', className)}
    />
  )
}
