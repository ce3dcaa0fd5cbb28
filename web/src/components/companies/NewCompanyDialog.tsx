import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { CreateDialog, type CreateDialogProps } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { Input } from '@/components/ui/input'

/** "New company": name, website, industry and the required custom fields. */
export function NewCompanyDialog(props: CreateDialogProps) {
  const { t } = useTranslation()
  return (
    <CreateDialog
      {...props}
      label={t('companies.new')}
      testId="new-company"
      initial={{ name: '', domain: '', industry: '' }}
      required={['name']}
      entity="company"
      invalidate={['list/companies', 'picker/companies']}
      created={(name) => t('companies.created', { name })}
      create={async (v, custom_fields) =>
        unwrap(
          await api.POST('/api/v1/companies', {
            body: {
              name: v.name.trim(),
              domain: v.domain.trim() || null,
              industry: v.industry.trim() || null,
              custom_fields: custom_fields as Record<string, never>,
              tags: [],
            },
          }),
        )
      }
      fields={(v, set, errors) => (
        <>
          <Field label={t('companies.fields.name')} error={errors.name}>
            <Input name="name" autoFocus value={v.name} onChange={set('name')} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('companies.fields.domain')} error={errors.domain}>
              <Input name="domain" value={v.domain} onChange={set('domain')} placeholder="acme.com" />
            </Field>
            <Field label={t('companies.fields.industry')} error={errors.industry}>
              <Input name="industry" value={v.industry} onChange={set('industry')} />
            </Field>
          </div>
        </>
      )}
    />
  )
}
