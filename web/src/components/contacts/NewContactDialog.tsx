import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { CreateDialog, type CreateDialogProps } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Input } from '@/components/ui/input'

/** "New contact": name, email and phone, job title, company and the required custom fields. */
export function NewContactDialog(props: CreateDialogProps) {
  const { t } = useTranslation()
  return (
    <CreateDialog
      {...props}
      label={t('contacts.new')}
      testId="new-contact"
      initial={{ name: '', email: '', phone: '', job_position: '', company_id: '' }}
      required={['name']}
      entity="contact"
      invalidate={['list/contacts', 'picker/contacts']}
      created={(name) => t('contacts.created', { name })}
      create={async (v, custom_fields) =>
        unwrap(
          await api.POST('/api/v1/contacts', {
            body: {
              name: v.name.trim(),
              email: v.email.trim() || null,
              phone: v.phone.trim() || null,
              job_position: v.job_position.trim() || null,
              company_id: v.company_id || null,
              custom_fields: custom_fields as Record<string, never>,
              tags: [],
            },
          }),
        )
      }
      fields={(v, set, errors, setValue) => (
        <>
          <Field label={t('contacts.fields.name')} error={errors.name}>
            <Input name="name" autoFocus value={v.name} onChange={set('name')} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('contacts.fields.email')} error={errors.email}>
              <Input name="email" type="email" value={v.email} onChange={set('email')} />
            </Field>
            <Field label={t('contacts.fields.phone')} error={errors.phone} hint={t('contacts.phoneHint')}>
              <Input name="phone" type="tel" value={v.phone} onChange={set('phone')} />
            </Field>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('contacts.fields.jobPosition')} error={errors.job_position}>
              <Input name="job_position" value={v.job_position} onChange={set('job_position')} />
            </Field>
            <Field label={t('contacts.fields.company')} error={errors.company_id}>
              <RecordPicker kind="companies" value={v.company_id} onChange={(id) => setValue('company_id', id)} />
            </Field>
          </div>
        </>
      )}
    />
  )
}
