import { useTranslation } from 'react-i18next'
import type { Stage } from '@/api/types'
import { Badge } from '@/components/ui/misc'
import { cn } from '@/lib/utils'

export function StageBadge({ stage }: { stage?: Stage }) {
  if (!stage) return null
  return (
    <Badge className="max-w-full border-transparent bg-secondary text-secondary-foreground">
      <span className="size-1.5 shrink-0 rounded-full" style={{ background: stage.color }} />
      <span className="truncate">{stage.name}</span>
    </Badge>
  )
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation()
  return (
    <Badge
      className={cn(
        status === 'won' && 'border-success/30 bg-success/10 text-success',
        status === 'lost' && 'border-destructive/30 bg-destructive/10 text-destructive',
      )}
    >
      {t(`leads.status.${status}`, { defaultValue: status })}
    </Badge>
  )
}
