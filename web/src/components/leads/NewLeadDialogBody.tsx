import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Loader2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors } from '@/api/errors'
import { usePipelines } from '@/api/hooks/pipelines'
import { useCurrentOrgId, useSession } from '@/api/hooks/session'
import { useMembers } from '@/api/hooks/orgs'
import { useWorkspace } from '@/api/hooks/workspace'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Field, FormError } from '@/components/forms/Field'
import { useRequiredCustomFields } from '@/api/hooks/customFields'
import { CustomFieldInputs } from '@/components/records/CustomFieldInputs'
import { customFieldsBody, missingRequired } from '@/components/records/customFieldValues'
import { RecordPicker } from '@/components/records/RecordPicker'
import { CURRENCIES } from '@/lib/brand'
import type { CreateDialogProps } from '@/components/forms/CreateDialog'

const FIELDS = ['full_name', 'company_id', 'contact_id', 'estimated_value', 'currency', 'stage_id', 'assigned_to', 'email'] as const

/** The new-lead form in its dialog; loaded when first opened (see NewLeadDialog). */
export default function NewLeadDialogBody({
  pipelineId,
  stageId,
  control,
  onCreated,
}: { pipelineId?: string; stageId?: string } & CreateDialogProps) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const org = useCurrentOrgId()
  const session = useSession()
  const { open, onOpenChange: setOpen } = control ?? { open: true, onOpenChange: () => undefined }
  const defaultCurrency = useWorkspace().data?.default_currency ?? 'USD'
  const pipelines = usePipelines()
  const members = useMembers()
  const customDefs = useRequiredCustomFields('lead')
  const [custom, setCustom] = useState<Record<string, string>>({})
  const [companyName, setCompanyName] = useState<string | null>(null)
  const pipeline = pipelines.data?.find((p) => p.id === pipelineId) ?? pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0]
  const empty = {
    full_name: '',
    company_id: '',
    contact_id: '',
    estimated_value: '',
    // Empty: the workspace's default currency.
    currency: '',
    stage_id: stageId ?? '',
    assigned_to: session?.user.id ?? '',
    email: '',
  }
  const [form, setForm] = useState(empty)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm({ ...form, [k]: e.target.value })

  const create = useMutation({
    mutationFn: async () => {
      return unwrap(
        await api.POST('/api/v1/leads', {
          body: {
            full_name: form.full_name.trim(),
            email: form.email.trim() || null,
            company_id: form.company_id || null,
            company_name: form.company_id ? companyName : null,
            contact_id: form.contact_id || null,
            estimated_value: form.estimated_value ? Number(form.estimated_value.replace(',', '.')) : null,
            currency: form.currency || defaultCurrency,
            pipeline_id: pipeline?.id ?? null,
            stage_id: form.stage_id || null,
            assigned_to: form.assigned_to || null,
            source: 'manual',
            custom_fields: customFieldsBody(customDefs, custom) as Record<string, never>,
            tags: [],
          },
        }),
      )
    },
    onSuccess: (lead) => {
      toast.success(t('leads.created', { name: lead.title }))
      void qc.invalidateQueries({ queryKey: [org, 'board'] })
      void qc.invalidateQueries({ queryKey: [org, 'list', 'leads'] })
      void qc.invalidateQueries({ queryKey: [org, 'dashboard'] })
      setOpen(false)
      setForm(empty)
      setCustom({})
      setCompanyName(null)
      onCreated?.(lead)
    },
    onError: (e) => {
      const m = fieldErrors(e, [...FIELDS, ...customDefs.map((d) => `custom_fields.${d.key}`)])
      setErrors(m.fields)
      setFormError(m.form)
    },
  })

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    setFormError(null)
    const missing: Record<string, string> = {}
    if (!form.full_name.trim()) missing.full_name = t('auth.required')
    for (const k of missingRequired(customDefs, custom)) missing[k] = t('auth.required')
    setErrors(missing)
    if (Object.keys(missing).length === 0) create.mutate()
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent className="max-w-xl" data-testid="new-lead-dialog">
        <DialogHeader>
          <DialogTitle>{t('leads.new')}</DialogTitle>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <FormError message={formError} />
          <Field label={t('leads.fields.title')} error={errors.full_name}>
            <Input name="full_name" autoFocus value={form.full_name} onChange={set('full_name')} placeholder={t('leads.titleHint')} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('leads.fields.company')} error={errors.company_id}>
              <RecordPicker
                kind="companies"
                value={form.company_id}
                onChange={(id, record) => {
                  setForm((f) => ({ ...f, company_id: id }))
                  setCompanyName(record?.name ?? null)
                }}
              />
            </Field>
            <Field label={t('leads.fields.contact')} error={errors.contact_id}>
              <RecordPicker kind="contacts" value={form.contact_id} onChange={(id) => setForm((f) => ({ ...f, contact_id: id }))} />
            </Field>
          </div>
          <div className="grid grid-cols-[1fr_7rem] gap-4">
            <Field label={t('leads.fields.value')} error={errors.estimated_value}>
              <Input
                name="estimated_value"
                inputMode="decimal"
                value={form.estimated_value}
                onChange={set('estimated_value')}
                placeholder="0"
              />
            </Field>
            <Field label={t('leads.fields.currency')} error={errors.currency}>
              <NativeSelect name="currency" value={form.currency || defaultCurrency} onChange={set('currency')}>
                {[...new Set([defaultCurrency, ...CURRENCIES])].map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </NativeSelect>
            </Field>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('leads.fields.stage')} error={errors.stage_id}>
              <NativeSelect name="stage_id" value={form.stage_id} onChange={set('stage_id')}>
                {pipeline?.stages.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label={t('leads.fields.owner')} error={errors.assigned_to}>
              <NativeSelect name="assigned_to" value={form.assigned_to} onChange={set('assigned_to')}>
                <option value="">{t('common.none')}</option>
                {members.data?.map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          </div>
          <CustomFieldInputs defs={customDefs} values={custom} errors={errors} onChange={(k, v) => setCustom((c) => ({ ...c, [k]: v }))} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Loader2 className="animate-spin" />}
              {t('leads.create')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
