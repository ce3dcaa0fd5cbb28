import { useTranslation } from 'react-i18next'
import { Input } from '@/components/ui/input'
import { cn } from '@/lib/utils'

/**
 * A due date and an optional time of day, side by side. An empty time means
 * the end of the day; the time can only be set once there is a date.
 */
export function DueInput({
  date,
  time,
  onChange,
  onBlur,
  label,
  timeLabel,
  id,
  size = 'default',
  className,
  ...aria
}: {
  date: string
  time: string
  onChange: (date: string, time: string) => void
  /** Called when focus leaves both inputs (for saving in place). */
  onBlur?: () => void
  /** Names the date input for screen readers ("Due", "Due date of …"). */
  label: string
  /** Names the time input ("Time" unless given). */
  timeLabel?: string
  /** From `Field`: its label points at the date input. */
  id?: string
  size?: 'default' | 'sm'
  className?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
}) {
  const { t } = useTranslation()
  const small = size === 'sm'
  return (
    <div
      className={cn('flex min-w-0 gap-1.5', className)}
      onBlur={(e) => {
        if (onBlur && !e.currentTarget.contains(e.relatedTarget as Node | null)) onBlur()
      }}
    >
      <Input
        id={id}
        type="date"
        aria-label={id ? undefined : label}
        aria-invalid={aria['aria-invalid']}
        aria-describedby={aria['aria-describedby']}
        value={date}
        onChange={(e) => onChange(e.target.value, e.target.value ? time : '')}
        className={cn('min-w-0 flex-[3]', small && 'h-7 px-2 text-xs')}
      />
      <Input
        type="time"
        aria-label={timeLabel ?? t('tasks.time')}
        value={time}
        disabled={!date}
        onChange={(e) => onChange(date, e.target.value)}
        className={cn('min-w-0 flex-[2]', small && 'h-7 px-2 text-xs')}
      />
    </div>
  )
}
