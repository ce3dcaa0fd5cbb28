import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Globe } from 'lucide-react'
import { api, orgHeader } from '@/api/client'
import { unwrap } from '@/api/problem'
import type { Company } from '@/api/types'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { CreateDialog } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { Input } from '@/components/ui/input'
import { formatDate } from '@/lib/format'

export function NewCompanyDialog() {
  const { t } = useTranslation()
  return (
    <CreateDialog
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
            params: { header: orgHeader },
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

export default function CompaniesPage() {
  const { t, i18n } = useTranslation()
  useEffect(() => {
    document.title = `${t('nav.companies')} · Loved CRM`
  }, [t])
  const columns: ListColumn<Company>[] = [
    {
      key: 'name',
      label: t('companies.fields.name'),
      sort: 'name',
      width: 'minmax(12rem,2fr)',
      render: (c) => <span className="truncate font-medium">{c.name}</span>,
    },
    {
      key: 'domain',
      label: t('companies.fields.domain'),
      sort: 'domain',
      width: 'minmax(8rem,1fr)',
      render: (c) =>
        c.domain ? (
          <span className="flex min-w-0 items-center gap-1.5 text-muted-foreground">
            <Globe className="size-3.5 shrink-0" />
            <span className="truncate">{c.domain}</span>
          </span>
        ) : null,
    },
    {
      key: 'industry',
      label: t('companies.fields.industry'),
      sort: 'industry',
      width: 'minmax(8rem,1fr)',
      render: (c) => <span className="truncate">{c.industry}</span>,
    },
    { key: 'size', label: t('companies.fields.size'), sort: 'size', width: '6rem', render: (c) => c.size, hideBelow: 'md' },
    {
      key: 'created_at',
      label: t('common.created'),
      sort: 'created_at',
      width: '8rem',
      render: (c) => <span className="text-muted-foreground">{formatDate(c.created_at, i18n.language)}</span>,
    },
  ]
  return (
    <ResourceList<Company>
      resource="companies"
      title={t('nav.companies')}
      rowHref={(c) => `/companies/${c.id}`}
      columns={columns}
      filters={[
        { field: 'name', label: t('companies.fields.name') },
        { field: 'domain', label: t('companies.fields.domain') },
        { field: 'industry', label: t('companies.fields.industry') },
        { field: 'size', label: t('companies.fields.size') },
        { field: 'created_at', label: t('common.created') },
      ]}
      actions={<NewCompanyDialog />}
      empty={{ title: t('companies.emptyTitle'), body: t('companies.emptyBody'), action: <NewCompanyDialog /> }}
    />
  )
}
