import { useTranslation } from 'react-i18next'
import { Badge } from '@/components/ui/misc'
import { cn } from '@/lib/utils'

export const PROJECT_STATUSES = ['planned', 'in_progress', 'on_hold', 'completed'] as const

const STYLE: Record<string, string> = {
  in_progress: 'border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300',
  on_hold: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
  completed: 'border-success/30 bg-success/10 text-success',
}

export function ProjectStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation()
  return <Badge className={cn(STYLE[status])}>{t(`projects.statuses.${status}`, { defaultValue: status })}</Badge>
}
