import type { ReactNode } from 'react'
import { Card, Skeleton } from '@/components/ui/misc'
import { cn } from '@/lib/utils'

/** A titled panel of the dashboard. */
export function ChartCard({
  title,
  subtitle,
  action,
  className,
  children,
  testId,
}: {
  title: string
  subtitle?: ReactNode
  action?: ReactNode
  className?: string
  children: ReactNode
  testId?: string
}) {
  return (
    <Card className={cn('flex min-w-0 flex-col p-4 sm:p-5', className)} data-testid={testId}>
      <div className="mb-4 flex flex-wrap items-start gap-x-3 gap-y-1">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold">{title}</h2>
          {subtitle && <p className="mt-0.5 text-xs text-muted-foreground">{subtitle}</p>}
        </div>
        {action && <div className="ml-auto">{action}</div>}
      </div>
      <div className="min-h-0 flex-1">{children}</div>
    </Card>
  )
}

export function ChartSkeleton({ className }: { className?: string }) {
  return (
    <div className={cn('flex h-64 items-end gap-1.5', className)} aria-hidden>
      {[40, 65, 30, 80, 55, 70, 45, 90, 60, 35, 75, 50].map((h, i) => (
        <Skeleton key={i} className="flex-1 rounded-sm" style={{ height: `${h}%` }} />
      ))}
    </div>
  )
}
