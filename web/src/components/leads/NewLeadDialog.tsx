import { lazy, Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Plus } from 'lucide-react'
import { Button } from '@/components/ui/button'
import type { CreateDialogProps } from '@/components/forms/CreateDialog'

// The form (pickers, custom fields, validation) loads when the dialog first
// opens: the board shows without it.
const Body = lazy(() => import('./NewLeadDialogBody'))

/** "New lead": a button that opens the form, or (with `control`) the form opened from elsewhere. */
export function NewLeadDialog(props: { pipelineId?: string; stageId?: string } & CreateDialogProps) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const control = props.control ?? { open, onOpenChange: setOpen }
  return (
    <>
      {!props.control && (
        <Button size="sm" data-testid="new-lead" onClick={() => setOpen(true)}>
          <Plus />
          {t('leads.new')}
        </Button>
      )}
      {control.open && (
        <Suspense fallback={null}>
          <Body {...props} control={control} />
        </Suspense>
      )}
    </>
  )
}
