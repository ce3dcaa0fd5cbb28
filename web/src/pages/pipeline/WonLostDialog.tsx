import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ThumbsDown, Trophy } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Textarea } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { cn } from '@/lib/utils'

/** Asked when a card is dropped on a closing stage: won, or lost and why. */
export function WonLostDialog({
  leadTitle,
  stageName,
  open,
  onCancel,
  onConfirm,
  initialOutcome = 'won',
  only,
}: {
  /** The outcome chosen when it opens (the deal page's Lost button opens on Lost). */
  initialOutcome?: 'won' | 'lost'
  /** A stage that is itself won or lost leaves no choice. */
  only?: 'won' | 'lost'
  leadTitle: string
  stageName: string
  open: boolean
  onCancel: () => void
  onConfirm: (outcome: 'won' | 'lost', reason: string) => void
}) {
  const { t } = useTranslation()
  const [outcome, setOutcome] = useState<'won' | 'lost'>(only ?? initialOutcome)
  const [reason, setReason] = useState('')
  const option = (value: 'won' | 'lost', Icon: typeof Trophy, label: string) => (
    <button
      type="button"
      role="radio"
      aria-checked={outcome === value}
      onClick={() => setOutcome(value)}
      className={cn(
        'flex flex-1 flex-col items-center gap-2 rounded-lg border p-4 text-sm font-medium transition-colors hover:bg-accent',
        outcome === value && value === 'won' && 'border-success bg-success/10 text-success hover:bg-success/10',
        outcome === value && value === 'lost' && 'border-destructive bg-destructive/10 text-destructive hover:bg-destructive/10',
      )}
    >
      <Icon className="size-5" />
      {label}
    </button>
  )
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onCancel()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('pipeline.closeTitle', { name: leadTitle })}</DialogTitle>
          <DialogDescription>{t('pipeline.closeBody', { stage: stageName })}</DialogDescription>
        </DialogHeader>
        {!only && (
          <div role="radiogroup" aria-label={t('pipeline.outcome')} className="flex gap-3">
            {option('won', Trophy, t('pipeline.won'))}
            {option('lost', ThumbsDown, t('pipeline.lost'))}
          </div>
        )}
        {outcome === 'lost' && (
          <div className={cn('grid gap-1.5', !only && 'mt-4')}>
            <Label htmlFor="lost-reason">{t('pipeline.lostReason')}</Label>
            <Textarea
              id="lost-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('pipeline.lostReasonHint')}
            />
          </div>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => onConfirm(outcome, reason)} disabled={outcome === 'lost' && !reason.trim()}>
            {t('pipeline.confirmClose')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
