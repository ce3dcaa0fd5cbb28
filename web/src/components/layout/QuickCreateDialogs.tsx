import { useNavigate } from 'react-router-dom'
import { NewLeadDialog } from '@/components/leads/NewLeadDialog'
import { NewContactDialog } from '@/components/contacts/NewContactDialog'
import { NewCompanyDialog } from '@/components/companies/NewCompanyDialog'
import { NewProjectDialog } from '@/components/projects/NewProjectDialog'
import { NewTaskDialog } from '@/components/tasks/NewTaskDialog'
import { recordHref } from '@/lib/recordLinks'
import type { CreateKind } from '@/lib/paletteActions'
import { closeCreate } from './quickCreate'

/**
 * The create dialog asked for from the command palette, over the current
 * page; what was created opens (a task opens in the tasks page).
 * Loaded only when first asked for.
 */
export default function QuickCreateDialogs({ kind }: { kind: CreateKind }) {
  const navigate = useNavigate()
  const control = { open: true, onOpenChange: (o: boolean) => !o && closeCreate() }
  const onCreated = (record: { id: string }) => {
    closeCreate()
    const href = recordHref(kind, record.id)
    if (href) navigate(href)
  }
  switch (kind) {
    case 'lead':
      return <NewLeadDialog control={control} onCreated={onCreated} />
    case 'contact':
      return <NewContactDialog control={control} onCreated={onCreated} />
    case 'company':
      return <NewCompanyDialog control={control} onCreated={onCreated} />
    case 'project':
      return <NewProjectDialog control={control} onCreated={onCreated} />
    case 'task':
      return <NewTaskDialog testId="quick-task" control={control} onCreated={onCreated} />
  }
}
