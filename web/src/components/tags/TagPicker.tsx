import { useState, type ReactNode } from 'react'
import * as Popover from '@radix-ui/react-popover'
import { Command } from 'cmdk'
import { useTranslation } from 'react-i18next'
import { Check, Plus } from 'lucide-react'
import { useTags } from '@/api/hooks/tags'
import { cn } from '@/lib/utils'

/**
 * Chooses tags among the organization's (and, with `allowCreate`, a new one
 * typed): each pick toggles a tag in `value`. The trigger is the caller's.
 */
export function TagPicker({
  value,
  onChange,
  allowCreate,
  children,
  label,
  align = 'start',
}: {
  value: string[]
  onChange: (tags: string[]) => void
  allowCreate?: boolean
  children: ReactNode
  label: string
  align?: 'start' | 'end'
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const tags = useTags()
  const typed = query.trim()
  const names = [...new Set([...(tags.data ?? []).map((tag) => tag.name), ...value])]
  const shown = names.filter((n) => !typed || n.toLowerCase().includes(typed.toLowerCase())).sort((a, b) => a.localeCompare(b))
  const color = new Map((tags.data ?? []).map((tag) => [tag.name, tag.color]))
  const toggle = (name: string) => onChange(value.includes(name) ? value.filter((v) => v !== name) : [...value, name])

  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) setQuery('')
      }}
    >
      <Popover.Trigger asChild>{children}</Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align={align}
          sideOffset={6}
          className="z-50 w-60 rounded-lg border bg-popover p-1 shadow-lg"
          data-testid="tag-picker"
        >
          <Command label={label} shouldFilter={false}>
            <Command.Input
              autoFocus
              value={query}
              onValueChange={setQuery}
              placeholder={allowCreate ? t('tagsUi.searchOrCreate') : t('tagsUi.search')}
              className="h-8 w-full rounded-md bg-transparent px-2 text-[13px] outline-none placeholder:text-muted-foreground"
              onKeyDown={(e) => {
                if (e.key === 'Enter' && allowCreate && typed && !names.some((n) => n.toLowerCase() === typed.toLowerCase())) {
                  e.preventDefault()
                  onChange([...value, typed])
                  setQuery('')
                }
              }}
            />
            <Command.List className="max-h-64 overflow-y-auto border-t pt-1">
              {shown.map((name) => (
                <Command.Item
                  key={name}
                  value={name}
                  onSelect={() => toggle(name)}
                  className="flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-[13px] data-[selected=true]:bg-accent"
                >
                  <span
                    className="size-2 shrink-0 rounded-full"
                    style={{ background: color.get(name) ?? 'var(--muted-foreground)' }}
                    aria-hidden
                  />
                  <span className="truncate">{name}</span>
                  <Check className={cn('ml-auto size-3.5', !value.includes(name) && 'invisible')} />
                </Command.Item>
              ))}
              {allowCreate && typed && !names.some((n) => n.toLowerCase() === typed.toLowerCase()) && (
                <Command.Item
                  value={`create-${typed}`}
                  onSelect={() => {
                    onChange([...value, typed])
                    setQuery('')
                  }}
                  className="flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-[13px] data-[selected=true]:bg-accent"
                >
                  <Plus className="size-3.5" />
                  {t('tagsUi.create', { name: typed })}
                </Command.Item>
              )}
              {shown.length === 0 && !(allowCreate && typed) && (
                <p className="px-2 py-3 text-center text-xs text-muted-foreground">{t('tagsUi.none')}</p>
              )}
            </Command.List>
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
