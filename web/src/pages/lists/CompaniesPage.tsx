import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Globe } from 'lucide-react'
import type { Company } from '@/api/types'
import { useMemberMap } from '@/api/hooks/orgs'
import type { BulkField } from '@/components/lists/BulkEditDialog'
import { Avatar } from '@/components/ui/misc'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { NewCompanyDialog } from '@/components/companies/NewCompanyDialog'
import { formatDate } from '@/lib/format'

export default function CompaniesPage() {
  const { t, i18n } = useTranslation()
  const members = useMemberMap()
  const memberOptions = [...members.values()].map((m) => ({ value: m.user_id, label: m.name }))
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
      edit: {
        label: (c) => t('inline.of', { field: t('companies.fields.domain'), name: c.name }),
        input: 'text',
        value: (c) => c.domain ?? '',
        patch: (v) => ({ domain: v.trim() || null }),
      },
    },
    {
      key: 'industry',
      label: t('companies.fields.industry'),
      sort: 'industry',
      width: 'minmax(8rem,1fr)',
      render: (c) => <span className="truncate">{c.industry}</span>,
      edit: {
        label: (c) => t('inline.of', { field: t('companies.fields.industry'), name: c.name }),
        input: 'text',
        value: (c) => c.industry ?? '',
        patch: (v) => ({ industry: v.trim() || null }),
      },
    },
    { key: 'size', label: t('companies.fields.size'), sort: 'size', width: '6rem', render: (c) => c.size, hideBelow: 'md' },
    {
      key: 'owner',
      label: t('contacts.fields.owner'),
      width: 'minmax(8rem,1fr)',
      hideBelow: 'lg',
      render: (c) => {
        const m = c.owner_id ? members.get(c.owner_id) : undefined
        return m ? (
          <span className="flex min-w-0 items-center gap-2">
            <Avatar name={m.name} />
            <span className="truncate">{m.name}</span>
          </span>
        ) : (
          <span className="text-muted-foreground">—</span>
        )
      },
      edit: {
        label: (c) => t('inline.of', { field: t('contacts.fields.owner'), name: c.name }),
        input: 'select',
        options: [{ value: '', label: t('common.none') }, ...memberOptions],
        value: (c) => c.owner_id ?? '',
        patch: (v) => ({ owner_id: v || null }),
      },
    },
    {
      key: 'created_at',
      label: t('common.created'),
      sort: 'created_at',
      width: '8rem',
      render: (c) => <span className="text-muted-foreground">{formatDate(c.created_at, i18n.language)}</span>,
    },
  ]
  const bulkFields: BulkField[] = [
    {
      key: 'owner',
      label: t('contacts.fields.owner'),
      input: 'member',
      change: (v) => ({ kind: 'field', field: 'owner_id', value: v || null }),
    },
    {
      key: 'industry',
      label: t('companies.fields.industry'),
      input: 'text',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'industry', value: v.trim() || null }),
    },
    {
      key: 'size',
      label: t('companies.fields.size'),
      input: 'text',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'size', value: v.trim() || null }),
    },
  ]
  return (
    <ResourceList<Company>
      resource="companies"
      entity="company"
      title={t('nav.companies')}
      allLabel={t('views.allCompanies')}
      bulkFields={bulkFields}
      rowName={(c) => c.name}
      rowHref={(c) => `/companies/${c.id}`}
      columns={columns}
      filters={[
        { field: 'name', label: t('companies.fields.name'), nullable: false },
        { field: 'domain', label: t('companies.fields.domain') },
        { field: 'industry', label: t('companies.fields.industry') },
        { field: 'size', label: t('companies.fields.size') },
        { field: 'owner_id', label: t('contacts.fields.owner'), type: 'ref', options: memberOptions },
        { field: 'created_at', label: t('common.created'), type: 'timestamp', nullable: false },
      ]}
      actions={<NewCompanyDialog />}
      empty={{ title: t('companies.emptyTitle'), body: t('companies.emptyBody'), action: <NewCompanyDialog /> }}
    />
  )
}
