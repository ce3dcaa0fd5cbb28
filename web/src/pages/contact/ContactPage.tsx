import { useEffect } from 'react'
import { Link, useParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Building2, ChevronLeft, Mail, Phone } from 'lucide-react'
import { isApiError } from '@/api/problem'
import { usePatchRecord, useRecord } from '@/api/hooks/records'
import { useRecordName } from '@/api/hooks/recordNames'
import { RecordComments } from '@/components/comments/RecordComments'
import { RelatedLeads } from '@/components/leads/RelatedLeads'
import { RecordTasks } from '@/components/tasks/RecordTasks'
import { Avatar, Card, Skeleton } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'
import { NotFound } from '../NotFoundPage'
import { CustomFieldRows } from '@/components/records/CustomFieldRows'
import { EditableRecord } from '@/components/records/EditableRecord'
import { EditableField } from '../lead/EditableField'
import { Timeline } from '../lead/Timeline'
import { errorText } from '@/api/errors'

export default function ContactPage() {
  const { contactId = '' } = useParams()
  const { t, i18n } = useTranslation()
  const contact = useRecord('contacts', contactId)
  const patch = usePatchRecord('contacts', contact.data)
  const company = useRecordName('companies', contact.data?.company_id).data

  useEffect(() => {
    if (contact.data) document.title = `${contact.data.name} · Loved CRM`
  }, [contact.data])

  if (contact.isError) {
    if (isApiError(contact.error) && (contact.error.status === 404 || contact.error.status === 400)) {
      return <NotFound title={t('contacts.notFoundTitle')} body={t('contacts.notFoundBody')} />
    }
    return <p className="p-8 text-destructive">{errorText(contact.error)}</p>
  }
  if (!contact.data) return <Skeleton className="m-6 h-80" />
  const c = contact.data
  const save = (field: string) => (v: string) => patch.mutateAsync({ [field]: v.trim() || null })

  return (
    <div className="mx-auto max-w-6xl px-4 py-5 md:px-6">
      <Link to="/contacts" className="inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground">
        <ChevronLeft className="size-3.5" />
        {t('nav.contacts')}
      </Link>
      <div className="mt-2 flex items-center gap-3">
        <Avatar name={c.name} className="size-10 text-sm" />
        <div className="min-w-0">
          <h1 className="truncate text-xl font-semibold tracking-tight" data-testid="record-title">
            {c.name}
          </h1>
          <div className="flex flex-wrap gap-x-4 text-xs text-muted-foreground">
            {c.job_position && <span>{c.job_position}</span>}
            {c.company_id && company && (
              <Link to={`/companies/${company.id}`} className="flex items-center gap-1 hover:text-foreground">
                <Building2 className="size-3" />
                {company.name}
              </Link>
            )}
            {c.email && (
              <a href={`mailto:${c.email}`} className="flex items-center gap-1 hover:text-foreground">
                <Mail className="size-3" />
                {c.email}
              </a>
            )}
            {c.phone && (
              <a href={`tel:${c.phone}`} className="flex items-center gap-1 hover:text-foreground">
                <Phone className="size-3" />
                {c.phone}
              </a>
            )}
            <span>{t('lead.createdOn', { date: formatDate(c.created_at, i18n.language) })}</span>
          </div>
        </div>
      </div>
      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[21rem_minmax(0,1fr)]">
        {/* minmax(0,1fr): a long task or comment line truncates instead of widening the column over the timeline. */}
        <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-6">
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">{t('lead.details')}</h2>
            <EditableField label={t('contacts.fields.name')} value={c.name} onSave={save('name')} />
            <EditableField label={t('contacts.fields.email')} type="email" value={c.email ?? ''} onSave={save('email')} />
            <EditableField label={t('contacts.fields.phone')} type="tel" value={c.phone ?? ''} onSave={save('phone')} />
            <EditableField label={t('contacts.fields.jobPosition')} value={c.job_position ?? ''} onSave={save('job_position')} />
            <EditableRecord
              label={t('contacts.fields.company')}
              kind="companies"
              value={c.company_id}
              onSave={(id) => patch.mutateAsync({ company_id: id })}
            />
            <EditableField label={t('contacts.fields.address')} value={c.address ?? ''} onSave={save('address')} />
            <CustomFieldRows entity="contact" values={c.custom_fields as Record<string, unknown>} onSave={(p) => patch.mutateAsync(p)} />
          </Card>
          <RelatedLeads field="contact_id" id={c.id} />
          <RecordTasks field="contact_id" id={c.id} />
          <RecordComments field="contact_id" id={c.id} />
        </div>
        <Timeline target={{ kind: 'contact', id: c.id, contactName: c.name }} hideComments />
      </div>
    </div>
  )
}
