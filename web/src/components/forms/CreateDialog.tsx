import { useState, type ReactNode } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Loader2, Plus } from 'lucide-react'
import { fieldErrors } from '@/api/errors'
import { useRequiredCustomFields, type FieldEntity } from '@/api/hooks/customFields'
import { useCurrentOrgId } from '@/api/hooks/session'
import { CustomFieldInputs } from '@/components/records/CustomFieldInputs'
import { customFieldsBody, missingRequired } from '@/components/records/customFieldValues'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormError } from './Field'

/** A dialog opened from elsewhere (the command palette) instead of by its own button. */
export interface DialogControl {
  open: boolean
  onOpenChange: (open: boolean) => void
}

/** What the create dialogs accept: shown by their button, or controlled; told what was created. */
export interface CreateDialogProps {
  control?: DialogControl
  onCreated?: (record: { id: string }) => void
}

type Setter<V> = {
  /** For inputs and selects: `onChange={set('name')}`. */
  (k: keyof V): (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void
}

/**
 * A "New …" button and its dialog: renders the fields (and the record type's
 * required custom fields), sends the create call, maps the API's field errors
 * back onto them and refreshes the lists.
 */
export function CreateDialog<V extends Record<string, string>>({
  label,
  testId,
  initial,
  fields,
  required,
  entity,
  create,
  invalidate,
  created,
  control,
  onCreated,
}: {
  label: string
  testId: string
  initial: V
  fields: (values: V, set: Setter<V>, errors: Record<string, string>, setValue: (k: keyof V, value: string) => void) => ReactNode
  required: (keyof V)[]
  /** The record type, whose required custom fields the dialog asks for. */
  entity?: FieldEntity
  create: (values: V, customFields: Record<string, unknown>) => Promise<{ id: string; name?: string; title?: string }>
  invalidate: string[]
  created: (name: string) => string
} & CreateDialogProps) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const org = useCurrentOrgId()
  const [ownOpen, setOwnOpen] = useState(false)
  const open = control ? control.open : ownOpen
  const setOpen = control ? control.onOpenChange : setOwnOpen
  const [values, setValues] = useState(initial)
  const [custom, setCustom] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const defs = useRequiredCustomFields(entity ?? 'contact')
  const customDefs = entity ? defs : []
  const setValue = (k: keyof V, value: string) => setValues((prev) => ({ ...prev, [k]: value }))
  const set: Setter<V> = (k) => (e) => setValue(k, e.target.value)

  const mutation = useMutation({
    mutationFn: () => create(values, customFieldsBody(customDefs, custom)),
    onSuccess: (record) => {
      toast.success(created(record.name ?? record.title ?? ''))
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: [org, ...key.split('/')] })
      setOpen(false)
      setValues(initial)
      setCustom({})
      onCreated?.(record)
    },
    onError: (e) => {
      const m = fieldErrors(e, [...Object.keys(initial), ...customDefs.map((d) => `custom_fields.${d.key}`)])
      setErrors(m.fields)
      setFormError(m.form)
    },
  })

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        setErrors({})
        setFormError(null)
      }}
    >
      {!control && (
        <DialogTrigger asChild>
          <Button size="sm" data-testid={testId}>
            <Plus />
            {label}
          </Button>
        </DialogTrigger>
      )}
      <DialogContent data-testid={`${testId}-dialog`}>
        <DialogHeader>
          <DialogTitle>{label}</DialogTitle>
        </DialogHeader>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault()
            const missing: Record<string, string> = {}
            for (const k of required) if (!values[k].trim()) missing[k as string] = t('auth.required')
            for (const k of missingRequired(customDefs, custom)) missing[k] = t('auth.required')
            setErrors(missing)
            setFormError(null)
            if (Object.keys(missing).length === 0) mutation.mutate()
          }}
        >
          <FormError message={formError} />
          {fields(values, set, errors, setValue)}
          <CustomFieldInputs defs={customDefs} values={custom} errors={errors} onChange={(k, v) => setCustom((c) => ({ ...c, [k]: v }))} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={mutation.isPending}>
              {mutation.isPending && <Loader2 className="animate-spin" />}
              {t('common.create')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
