import { useTranslation } from 'react-i18next'
import { Check } from 'lucide-react'
import { useUpdateTask, type Task } from '@/api/hooks/tasks'
import { cn } from '@/lib/utils'

/** Marks a task done (or open again) in one click. */
export function TaskCheckbox({ task }: { task: Task }) {
  const { t } = useTranslation()
  const update = useUpdateTask()
  const done = task.status === 'done'
  return (
    <button
      type="button"
      role="checkbox"
      aria-checked={done}
      aria-label={t(done ? 'tasks.reopen' : 'tasks.complete', { name: task.name })}
      disabled={update.isPending}
      onClick={(e) => {
        e.stopPropagation()
        update.mutate({ task, patch: { status: done ? 'todo' : 'done' } })
      }}
      className={cn(
        'flex size-4 shrink-0 items-center justify-center rounded-full border border-foreground/30 transition-colors hover:border-success',
        done && 'border-success bg-success text-white',
      )}
    >
      {done && <Check className="size-3" strokeWidth={3} />}
    </button>
  )
}
