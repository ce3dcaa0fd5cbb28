import { useCallback, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EditScope } from '@/api/hooks/calendar'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { cn } from '@/lib/utils'

type Action = 'change' | 'delete'

interface Asking {
  action: Action
  scopes: EditScope[]
  resolve: (scope: EditScope | null) => void
}

/**
 * "This event / This and following events / All events" for a change to a
 * repeating event. `ask` resolves to the choice, or null when dismissed.
 */
export function useScopeQuestion() {
  const [asking, setAsking] = useState<Asking | null>(null)
  const ask = useCallback(
    (action: Action, scopes: EditScope[] = ['this', 'following', 'all']) =>
      new Promise<EditScope | null>((resolve) => setAsking({ action, scopes, resolve })),
    [],
  )
  const answer = (scope: EditScope | null) => {
    asking?.resolve(scope)
    setAsking(null)
  }
  const dialog = asking ? <ScopeDialog key={asking.action} asking={asking} onAnswer={answer} /> : null
  return { ask, dialog }
}

function ScopeDialog({ asking, onAnswer }: { asking: Asking; onAnswer: (scope: EditScope | null) => void }) {
  const { t } = useTranslation()
  const [scope, setScope] = useState<EditScope>(asking.scopes[0])
  const first = useRef<HTMLInputElement>(null)
  const destructive = asking.action === 'delete'
  return (
    <Dialog open onOpenChange={(o) => !o && onAnswer(null)}>
      <DialogContent
        className="max-w-sm"
        data-testid="scope-dialog"
        onOpenAutoFocus={(e) => {
          e.preventDefault()
          first.current?.focus()
        }}
      >
        <DialogHeader>
          <DialogTitle>{t(destructive ? 'calendar.scope.deleteTitle' : 'calendar.scope.changeTitle')}</DialogTitle>
          <DialogDescription>{t('calendar.scope.body')}</DialogDescription>
        </DialogHeader>
        <form
          onSubmit={(e) => {
            // Rendered from inside other forms' components: the submit is this dialog's alone.
            e.preventDefault()
            e.stopPropagation()
            onAnswer(scope)
          }}
        >
          <fieldset className="grid gap-1">
            <legend className="sr-only">{t('calendar.scope.legend')}</legend>
            {asking.scopes.map((s, i) => (
              <label
                key={s}
                className={cn(
                  'flex cursor-pointer items-center gap-2.5 rounded-md border border-transparent px-3 py-2 text-[13px] hover:bg-accent',
                  scope === s && 'border-border bg-accent/60',
                )}
              >
                <input
                  ref={i === 0 ? first : undefined}
                  type="radio"
                  name="scope"
                  value={s}
                  checked={scope === s}
                  onChange={() => setScope(s)}
                  className="size-4 accent-primary"
                />
                {t(`calendar.scope.${s}`)}
              </label>
            ))}
          </fieldset>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onAnswer(null)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant={destructive ? 'destructive' : 'default'}>
              {t(destructive ? 'calendar.delete' : 'common.save')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
