import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Input } from '@/components/ui/input'
import { cn } from '@/lib/utils'

/** A task's name in a table cell: click (or Enter on it) to rename; Enter or leaving saves, Escape cancels. */
export function TaskName({ name, done, onSave }: { name: string; done: boolean; onSave: (name: string) => void }) {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(name)
  const ref = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (!editing) setDraft(name)
  }, [name, editing])
  useEffect(() => {
    if (editing) ref.current?.select()
  }, [editing])

  const commit = () => {
    setEditing(false)
    const next = draft.trim()
    if (next && next !== name) onSave(next)
    else setDraft(name)
  }

  if (editing) {
    return (
      <Input
        ref={ref}
        aria-label={t('tasks.nameOf', { name })}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit()
          if (e.key === 'Escape') {
            setDraft(name)
            setEditing(false)
          }
        }}
        className="h-7 px-2 text-[13px] font-medium"
      />
    )
  }
  return (
    <button
      type="button"
      onClick={() => setEditing(true)}
      aria-label={t('tasks.rename', { name })}
      className={cn(
        'block w-full truncate rounded px-2 py-1 text-left font-medium hover:bg-accent',
        done && 'text-muted-foreground line-through',
      )}
    >
      {name}
    </button>
  )
}
