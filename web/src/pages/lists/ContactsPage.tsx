import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { Contact } from '@/api/types'
import { useMemberMap } from '@/api/hooks/orgs'
import type { BulkField } from '@/components/lists/BulkEditDialog'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { NewContactDialog } from '@/components/contacts/NewContactDialog'
import { RecordLink } from '@/components/records/RecordLink'
import { Avatar } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'

export default function ContactsPage() {
  const { t, i18n } = useTranslation()
  const members = useMemberMap()
  const memberOptions = [...members.values()].map((m) => ({ value: m.user_id, label: m.name }))
  useEffect(() => {
    document.title = `${t('nav.contacts')} · Loved CRM`
  }, [t])
  const columns: ListColumn<Contact>[] = [
    {
      key: 'name',
      label: t('contacts.fields.name'),
      sort: 'name',
      width: 'minmax(12rem,2fr)',
      render: (c) => (
        <span className="flex min-w-0 items-center gap-2">
          <Avatar name={c.name} />
          <span className="truncate font-medium">{c.name}</span>
        </span>
      ),
    },
    {
      key: 'email',
      label: t('contacts.fields.email'),
      sort: 'email',
      width: 'minmax(10rem,1.5fr)',
      render: (c) => <span className="truncate text-muted-foreground">{c.email}</span>,
      edit: {
        label: (c) => t('inline.of', { field: t('contacts.fields.email'), name: c.name }),
        input: 'email',
        value: (c) => c.email ?? '',
        patch: (v) => ({ email: v.trim() || null }),
      },
    },
    {
      key: 'phone',
      label: t('contacts.fields.phone'),
      width: '9rem',
      render: (c) => <span className="truncate tabular-nums">{c.phone}</span>,
      hideBelow: 'md',
      edit: {
        label: (c) => t('inline.of', { field: t('contacts.fields.phone'), name: c.name }),
        input: 'tel',
        value: (c) => c.phone ?? '',
        patch: (v) => ({ phone: v.trim() || null }),
      },
    },
    {
      key: 'job',
      label: t('contacts.fields.jobPosition'),
      sort: 'job_position',
      width: 'minmax(8rem,1fr)',
      render: (c) => <span className="truncate">{c.job_position}</span>,
      hideBelow: 'lg',
      edit: {
        label: (c) => t('inline.of', { field: t('contacts.fields.jobPosition'), name: c.name }),
        input: 'text',
        value: (c) => c.job_position ?? '',
        patch: (v) => ({ job_position: v.trim() || null }),
      },
    },
    {
      key: 'company',
      label: t('contacts.fields.company'),
      width: 'minmax(8rem,1fr)',
      render: (c) => <RecordLink kind="companies" id={c.company_id} />,
    },
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
      key: 'company',
      label: t('contacts.fields.company'),
      input: 'record',
      record: 'companies',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'company_id', value: v || null }),
    },
    {
      key: 'job',
      label: t('contacts.fields.jobPosition'),
      input: 'text',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'job_position', value: v.trim() || null }),
    },
    {
      key: 'source',
      label: t('contacts.fields.source'),
      input: 'text',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'source', value: v.trim() || null }),
    },
  ]
  return (
    <ResourceList<Contact>
      resource="contacts"
      entity="contact"
      title={t('nav.contacts')}
      allLabel={t('views.allContacts')}
      bulkFields={bulkFields}
      rowName={(c) => c.name}
      rowHref={(c) => `/contacts/${c.id}`}
      columns={columns}
      filters={[
        { field: 'name', label: t('contacts.fields.name'), nullable: false },
        { field: 'email', label: t('contacts.fields.email') },
        { field: 'phone', label: t('contacts.fields.phone') },
        { field: 'company_id', label: t('contacts.fields.company'), picker: 'companies' },
        { field: 'owner_id', label: t('contacts.fields.owner'), type: 'ref', options: memberOptions },
        { field: 'job_position', label: t('contacts.fields.jobPosition') },
        { field: 'source', label: t('contacts.fields.source') },
        { field: 'created_at', label: t('common.created'), type: 'timestamp', nullable: false },
      ]}
      actions={<NewContactDialog />}
      empty={{ title: t('contacts.emptyTitle'), body: t('contacts.emptyBody'), action: <NewContactDialog /> }}
    />
  )
}
