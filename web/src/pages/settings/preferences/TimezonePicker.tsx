import { useMemo, useState } from 'react'
import * as Popover from '@radix-ui/react-popover'
import { Command } from 'cmdk'
import { useTranslation } from 'react-i18next'
import { Check, ChevronsUpDown, Globe, Search } from 'lucide-react'
import { allZones, matchZone, offsetOf, zoneLabel } from '@/lib/timezones'
import { cn } from '@/lib/utils'

/** A searchable list of every time zone the browser knows (Intl.supportedValuesOf('timeZone')). */
export function TimezonePicker({ value, onChange, id }: { value: string; onChange: (tz: string) => void; id?: string }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const zones = useMemo(() => (open ? allZones() : []), [open])
  const shown = useMemo(() => zones.filter((z) => matchZone(z, query)).slice(0, 200), [zones, query])
  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) setQuery('')
      }}
    >
      <Popover.Trigger asChild>
        <button
          id={id}
          type="button"
          role="combobox"
          aria-expanded={open}
          className="flex h-9 w-full items-center gap-2 rounded-md border border-input bg-card px-3 text-left text-sm shadow-xs hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
          data-testid="timezone-picker"
        >
          <Globe className="size-4 shrink-0 text-muted-foreground" />
          <span className="min-w-0 flex-1 truncate">{zoneLabel(value)}</span>
          <span className="shrink-0 text-xs tabular-nums text-muted-foreground">{offsetOf(value).offset}</span>
          <ChevronsUpDown className="size-3.5 shrink-0 text-muted-foreground" />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          className="z-50 w-[var(--radix-popover-trigger-width)] min-w-72 overflow-hidden rounded-lg border bg-popover text-popover-foreground shadow-lg"
        >
          <Command shouldFilter={false} label={t('prefs.timezone')}>
            <div className="flex items-center gap-2 border-b px-3">
              <Search className="size-4 text-muted-foreground" />
              <Command.Input
                autoFocus
                value={query}
                onValueChange={setQuery}
                placeholder={t('prefs.timezoneSearch')}
                className="h-10 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
              />
            </div>
            <Command.List className="max-h-72 overflow-y-auto p-1">
              <Command.Empty className="py-6 text-center text-sm text-muted-foreground">{t('prefs.timezoneNone')}</Command.Empty>
              {shown.map((z) => (
                <Command.Item
                  key={z.id}
                  value={z.id}
                  onSelect={() => {
                    onChange(z.id)
                    setOpen(false)
                  }}
                  className="flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-[13px] data-[selected=true]:bg-accent"
                >
                  <Check className={cn('size-3.5 shrink-0', z.id === value ? 'opacity-100' : 'opacity-0')} />
                  <span className="min-w-0 flex-1 truncate">{z.label}</span>
                  <span className="shrink-0 text-xs tabular-nums text-muted-foreground">{z.offset}</span>
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
