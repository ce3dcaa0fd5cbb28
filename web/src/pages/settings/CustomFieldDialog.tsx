import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Loader2 } from 'lucide-react'
import { fieldErrors } from '@/api/errors'
import {
  FIELD_KINDS,
  keyFromLabel,
  useCustomFieldMutations,
  type FieldDefinition,
  type FieldEntity,
  type FieldKind,
} from '@/api/hooks/customFields'
import { Field, FormError } from '@/components/forms/Field'
import { Checkbox } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input, NativeSelect, Textarea } from '@/components/ui/input'

const hasOptions = (kind: FieldKind) => kind === 'select' || kind === 'multi_select'
const parseOptions = (text: string) => [
  ...new Set(
    text
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean),
  ),
]

/** Creates a custom field (`editing` unset) or changes one's label, options and required flag. */
export function CustomFieldDialog({
  open,
  onOpenChange,
  entity,
  editing,
  onSaved,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  entity: FieldEntity
  editing?: FieldDefinition
  onSaved: (def: FieldDefinition) => void
}) {
  const { t } = useTranslation()
  const { create, patch } = useCustomFieldMutations()
  const [label, setLabel] = useState('')
  const [key, setKey] = useState('')
  const [keyTouched, setKeyTouched] = useState(false)
  const [kind, setKind] = useState<FieldKind>('text')
  const [options, setOptions] = useState('')
  const [required, setRequired] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)

  useEffect(() => {
    if (!open) return
    setLabel(editing?.label ?? '')
    setKey(editing?.key ?? '')
    setKeyTouched(false)
    setKind((editing?.kind as FieldKind | undefined) ?? 'text')
    setOptions(editing?.options.join('\n') ?? '')
    setRequired(editing?.required ?? false)
    setErrors({})
    setFormError(null)
  }, [open, editing])

  const busy = create.isPending || patch.isPending
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const client: Record<string, string> = {}
    if (!label.trim()) client.label = t('auth.required')
    if (!editing && !key) client.key = t('auth.required')
    if (hasOptions(kind) && parseOptions(options).length === 0) client.options = t('customFields.optionsRequired')
    setErrors(client)
    setFormError(null)
    if (Object.keys(client).length) return
    try {
      const opts = hasOptions(kind) ? parseOptions(options) : undefined
      const saved = editing
        ? await patch.mutateAsync({ def: editing, body: { label: label.trim(), required, ...(opts ? { options: opts } : {}) } })
        : await create.mutateAsync({ entity_type: entity, key, label: label.trim(), kind, required, ...(opts ? { options: opts } : {}) })
      onSaved(saved)
      onOpenChange(false)
    } catch (err) {
      const mapped = fieldErrors(err, ['label', 'key', 'kind', 'options', 'required'])
      setErrors(mapped.fields)
      setFormError(mapped.form)
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{editing ? t('customFields.editTitle', { label: editing.label }) : t('customFields.new')}</DialogTitle>
          <DialogDescription>{t('customFields.dialogHelp', { entity: t(`customFields.entities.${entity}`) })}</DialogDescription>
        </DialogHeader>
        <form noValidate className="grid gap-4" onSubmit={submit}>
          <FormError message={formError} />
          <Field label={t('customFields.label')} error={errors.label}>
            <Input
              autoFocus
              value={label}
              placeholder={t('customFields.labelHint')}
              onChange={(e) => {
                setLabel(e.target.value)
                if (!editing && !keyTouched) setKey(keyFromLabel(e.target.value))
              }}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('customFields.key')} error={errors.key} hint={editing ? t('customFields.keyFixed') : t('customFields.keyHint')}>
              <Input
                value={key}
                disabled={!!editing}
                className="font-mono text-[13px]"
                onChange={(e) => {
                  setKeyTouched(true)
                  setKey(e.target.value.toLowerCase().replace(/[^a-z0-9_]/g, ''))
                }}
              />
            </Field>
            <Field label={t('customFields.kind')} error={errors.kind} hint={editing ? t('customFields.kindFixed') : undefined}>
              <NativeSelect value={kind} disabled={!!editing} onChange={(e) => setKind(e.target.value as FieldKind)}>
                {FIELD_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`customFields.kinds.${k}`)}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          </div>
          {hasOptions(kind) && (
            <Field label={t('customFields.options')} error={errors.options} hint={t('customFields.optionsHint')}>
              <Textarea
                rows={4}
                value={options}
                onChange={(e) => setOptions(e.target.value)}
                placeholder={t('customFields.optionsPlaceholder')}
              />
            </Field>
          )}
          <Checkbox
            label={t('customFields.required')}
            description={t('customFields.requiredHelp')}
            checked={required}
            onChange={(e) => setRequired(e.target.checked)}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={busy}>
              {busy && <Loader2 className="animate-spin" />}
              {editing ? t('common.save') : t('customFields.create')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
