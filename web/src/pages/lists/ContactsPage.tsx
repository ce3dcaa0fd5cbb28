import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { api, orgHeader } from '@/api/client'
import { unwrap } from '@/api/problem'
import type { Contact } from '@/api/types'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { CreateDialog } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { RecordLink } from '@/components/records/RecordLink'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Input } from '@/components/ui/input'
import { Avatar } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'

export function NewContactDialog() {
  const { t } = useTranslation()
  return (
    <CreateDialog
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
            params: { header: orgHeader },
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

export default function ContactsPage() {
  const { t, i18n } = useTranslation()
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
    },
    {
      key: 'phone',
      label: t('contacts.fields.phone'),
      width: '9rem',
      render: (c) => <span className="tabular-nums">{c.phone}</span>,
      hideBelow: 'md',
    },
    {
      key: 'job',
      label: t('contacts.fields.jobPosition'),
      sort: 'job_position',
      width: 'minmax(8rem,1fr)',
      render: (c) => <span className="truncate">{c.job_position}</span>,
      hideBelow: 'lg',
    },
    {
      key: 'company',
      label: t('contacts.fields.company'),
      width: 'minmax(8rem,1fr)',
      render: (c) => <RecordLink kind="companies" id={c.company_id} />,
    },
    {
      key: 'created_at',
      label: t('common.created'),
      sort: 'created_at',
      width: '8rem',
      render: (c) => <span className="text-muted-foreground">{formatDate(c.created_at, i18n.language)}</span>,
    },
  ]
  return (
    <ResourceList<Contact>
      resource="contacts"
      title={t('nav.contacts')}
      rowHref={(c) => `/contacts/${c.id}`}
      columns={columns}
      filters={[
        { field: 'name', label: t('contacts.fields.name') },
        { field: 'email', label: t('contacts.fields.email') },
        { field: 'job_position', label: t('contacts.fields.jobPosition') },
        { field: 'source', label: t('contacts.fields.source') },
        { field: 'created_at', label: t('common.created') },
      ]}
      actions={<NewContactDialog />}
      empty={{ title: t('contacts.emptyTitle'), body: t('contacts.emptyBody'), action: <NewContactDialog /> }}
    />
  )
}
