import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Pencil } from 'lucide-react'
import { Input, NativeSelect } from '@/components/ui/input'
import { cn } from '@/lib/utils'

interface Props {
  label: string
  value: string
  display?: ReactNode
  type?: 'text' | 'email' | 'tel' | 'number' | 'date'
  options?: { value: string; label: string }[]
  onSave: (value: string) => Promise<unknown>
}

/** A detail that turns into an input on click; Enter or leaving saves, Escape cancels. */
export function EditableField({ label, value, display, type = 'text', options, onSave }: Props) {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(value)
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null)

  useEffect(() => {
    if (!editing) setDraft(value)
  }, [value, editing])
  useEffect(() => {
    if (editing) ref.current?.focus()
  }, [editing])

  const commit = async () => {
    setEditing(false)
    if (draft !== value) await onSave(draft).catch(() => setDraft(value))
  }

  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-center gap-2 py-1">
      <span className="text-xs text-muted-foreground">{label}</span>
      {editing ? (
        options ? (
          <NativeSelect
            ref={ref}
            aria-label={label}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => e.key === 'Escape' && (setDraft(value), setEditing(false))}
            className="h-8 text-[13px]"
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </NativeSelect>
        ) : (
          <Input
            ref={ref}
            aria-label={label}
            type={type}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void commit()
              if (e.key === 'Escape') {
                setDraft(value)
                setEditing(false)
              }
            }}
            className="h-8 text-[13px]"
          />
        )
      ) : (
        <button
          type="button"
          onClick={() => setEditing(true)}
          aria-label={t('lead.edit', { field: label })}
          className={cn(
            'group flex min-h-8 min-w-0 items-center gap-2 rounded-md px-2 py-1 text-left text-[13px] hover:bg-accent',
            !value && 'text-muted-foreground',
          )}
        >
          <span className="line-clamp-2 min-w-0 flex-1 break-words">{value ? (display ?? value) : t('lead.empty')}</span>
          <Pencil className="size-3 shrink-0 opacity-0 group-hover:opacity-60" />
        </button>
      )}
    </div>
  )
}
