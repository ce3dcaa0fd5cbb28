import { useEffect, type ReactNode } from 'react'
import { Card } from '@/components/ui/misc'
import { cn } from '@/lib/utils'

/** The frame of a settings page: title, subtitle, an action on the right, then its sections. */
export function SettingsPage({
  title,
  subtitle,
  action,
  children,
  testId,
}: {
  title: string
  subtitle: string
  action?: ReactNode
  children: ReactNode
  testId?: string
}) {
  useEffect(() => {
    document.title = `${title} · Loved CRM`
  }, [title])
  return (
    <div className="mx-auto max-w-4xl px-4 py-5 md:px-6" data-testid={testId}>
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0">
          <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
          <p className="text-xs text-muted-foreground">{subtitle}</p>
        </div>
        {action && <div className="ml-auto">{action}</div>}
      </div>
      <div className="mt-5 grid gap-5">{children}</div>
    </div>
  )
}

/** A card with a heading and a short explanation on top. */
export function Section({
  title,
  description,
  children,
  className,
  footer,
}: {
  title: string
  description?: ReactNode
  children: ReactNode
  className?: string
  footer?: ReactNode
}) {
  return (
    <Card className={cn('overflow-hidden', className)}>
      <div className="border-b px-4 py-3 sm:px-5">
        <h2 className="text-sm font-semibold">{title}</h2>
        {description && <p className="mt-0.5 text-xs text-muted-foreground">{description}</p>}
      </div>
      <div className="px-4 py-4 sm:px-5">{children}</div>
      {footer && <div className="flex flex-wrap items-center justify-end gap-2 border-t bg-muted/40 px-4 py-3 sm:px-5">{footer}</div>}
    </Card>
  )
}

/** A native checkbox with its label, keyboard and screen-reader friendly. */
export function Checkbox({
  label,
  description,
  className,
  ...props
}: React.InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; description?: ReactNode }) {
  return (
    <label className={cn('flex cursor-pointer items-start gap-2.5 text-[13px]', className)}>
      <input type="checkbox" className="mt-0.5 size-4 shrink-0 cursor-pointer accent-primary" {...props} />
      <span>
        <span className="font-medium">{label}</span>
        {description && <span className="block text-xs text-muted-foreground">{description}</span>}
      </span>
    </label>
  )
}
