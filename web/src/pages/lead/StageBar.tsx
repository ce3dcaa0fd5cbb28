import { useTranslation } from 'react-i18next'
import { Check, ThumbsDown, Trophy } from 'lucide-react'
import type { Lead, Stage } from '@/api/types'
import { cn } from '@/lib/utils'

/**
 * The lead's pipeline as a row of steps: the stages it passed are filled,
 * its stage is marked, and clicking any stage moves it there (a closing
 * stage asks won or lost first).
 */
export function StageBar({ lead, stages, busy, onPick }: { lead: Lead; stages: Stage[]; busy: boolean; onPick: (stage: Stage) => void }) {
  const { t } = useTranslation()
  const current = stages.findIndex((s) => s.id === lead.stage_id)
  return (
    <nav aria-label={t('deal.stageBar')} className="mt-4" data-testid="stage-bar">
      <ol className="flex w-full overflow-x-auto rounded-lg border bg-card p-1 shadow-xs scrollbar-thin">
        {stages.map((stage, i) => {
          const here = i === current
          const passed = current >= 0 && i < current
          const closing = stage.kind !== 'open'
          const Icon = here && lead.status === 'won' ? Trophy : here && lead.status === 'lost' ? ThumbsDown : passed ? Check : null
          return (
            <li key={stage.id} className="min-w-[6.5rem] flex-1">
              <button
                type="button"
                disabled={busy || (here && !closing)}
                aria-current={here ? 'step' : undefined}
                onClick={() => onPick(stage)}
                title={here ? stage.name : t('deal.moveTo', { stage: stage.name })}
                className={cn(
                  'relative flex h-8 w-full items-center justify-center gap-1.5 truncate px-3 text-xs font-medium transition-colors first:rounded-l-md last:rounded-r-md',
                  'text-muted-foreground hover:bg-accent hover:text-foreground disabled:cursor-default',
                  passed && 'bg-primary/10 text-foreground',
                  here && 'bg-primary text-primary-foreground hover:bg-primary hover:text-primary-foreground',
                  here && lead.status === 'won' && 'bg-success text-white hover:bg-success hover:text-white',
                  here && lead.status === 'lost' && 'bg-destructive text-white hover:bg-destructive hover:text-white',
                  i > 0 && 'border-l border-background',
                )}
              >
                {Icon ? (
                  <Icon className="size-3.5 shrink-0" />
                ) : (
                  <span className="size-1.5 shrink-0 rounded-full" style={{ background: stage.color }} aria-hidden />
                )}
                <span className="truncate">{stage.name}</span>
              </button>
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
