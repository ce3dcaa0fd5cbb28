import { initials } from '@/lib/utils'
import { textOn } from '@/lib/brand'
import { cn } from '@/lib/utils'

/**
 * The organization's badge: its logo when it has one, else its initials on
 * its brand colour (or the app's primary colour).
 */
export function WorkspaceMark({
  name,
  logo,
  color,
  className,
}: {
  name: string
  logo?: string | null
  color?: string | null
  className?: string
}) {
  if (logo) {
    return (
      <img src={logo} alt="" className={cn('size-7 shrink-0 rounded-md bg-card object-contain', className)} data-testid="workspace-logo" />
    )
  }
  return (
    <span
      className={cn(
        'flex size-7 shrink-0 items-center justify-center rounded-md text-[11px] font-bold',
        !color && 'bg-primary text-primary-foreground',
        className,
      )}
      style={color ? { background: color, color: textOn(color) } : undefined}
      data-testid="workspace-mark"
      aria-hidden
    >
      {initials(name)}
    </span>
  )
}
