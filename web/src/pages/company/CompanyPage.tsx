import { useEffect } from 'react'
import { Link, useParams } from 'react-router-dom'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ChevronLeft, Globe } from 'lucide-react'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { usePatchRecord, useRecord } from '@/api/hooks/records'
import { useCurrentOrgId } from '@/api/hooks/session'
import { RecordComments } from '@/components/comments/RecordComments'
import { RelatedLeads } from '@/components/leads/RelatedLeads'
import { RecordTasks } from '@/components/tasks/RecordTasks'
import { Timeline } from '../lead/Timeline'
import { Avatar, Card, Skeleton } from '@/components/ui/misc'
import { formatNumber } from '@/lib/format'
import { initials } from '@/lib/utils'
import { NotFound } from '../NotFoundPage'
import { CustomFieldRows } from '@/components/records/CustomFieldRows'
import { EditableField } from '../lead/EditableField'
import { errorText } from '@/api/errors'

export default function CompanyPage() {
  const { companyId = '' } = useParams()
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const company = useRecord('companies', companyId)
  const patch = usePatchRecord('companies', company.data)
  const contacts = useQuery({
    queryKey: [org, 'list', 'contacts', { 'company_id[eq]': companyId }],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/contacts', {
          params: { query: { 'company_id[eq]': companyId, sort: 'name', limit: 100 } as { sort: string } },
        }),
      ).data,
    enabled: !!org,
  })

  useEffect(() => {
    if (company.data) document.title = `${company.data.name} · Loved CRM`
  }, [company.data])

  if (company.isError) {
    if (isApiError(company.error) && (company.error.status === 404 || company.error.status === 400)) {
      return <NotFound title={t('companies.notFoundTitle')} body={t('companies.notFoundBody')} />
    }
    return <p className="p-8 text-destructive">{errorText(company.error)}</p>
  }
  if (!company.data) return <Skeleton className="m-6 h-80" />
  const c = company.data
  const save = (field: string) => (v: string) => patch.mutateAsync({ [field]: v.trim() || null })

  return (
    <div className="mx-auto max-w-6xl px-4 py-5 md:px-6">
      <Link to="/companies" className="inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground">
        <ChevronLeft className="size-3.5" />
        {t('nav.companies')}
      </Link>
      <div className="mt-2 flex items-center gap-3">
        <span className="flex size-10 items-center justify-center rounded-lg bg-secondary text-sm font-semibold">{initials(c.name)}</span>
        <div className="min-w-0">
          <h1 className="truncate text-xl font-semibold tracking-tight" data-testid="record-title">
            {c.name}
          </h1>
          <div className="flex flex-wrap gap-x-4 text-xs text-muted-foreground">
            {c.industry && <span>{c.industry}</span>}
            {c.domain && (
              <a href={`https://${c.domain}`} target="_blank" rel="noreferrer" className="flex items-center gap-1 hover:text-foreground">
                <Globe className="size-3" />
                {c.domain}
              </a>
            )}
            {c.contact_count != null && (
              <span>
                {t('companies.contactCount', { count: c.contact_count, formatted: formatNumber(c.contact_count, i18n.language) })}
              </span>
            )}
            {c.open_lead_count != null && (
              <span>
                {t('companies.openLeadCount', { count: c.open_lead_count, formatted: formatNumber(c.open_lead_count, i18n.language) })}
              </span>
            )}
          </div>
        </div>
      </div>
      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[21rem_minmax(0,1fr)]">
        {/* minmax(0,1fr): a long task or comment line truncates instead of widening the column over the timeline. */}
        <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-6">
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">{t('lead.details')}</h2>
            <EditableField label={t('companies.fields.name')} value={c.name} onSave={save('name')} />
            <EditableField label={t('companies.fields.domain')} value={c.domain ?? ''} onSave={save('domain')} />
            <EditableField label={t('companies.fields.industry')} value={c.industry ?? ''} onSave={save('industry')} />
            <EditableField label={t('companies.fields.size')} value={c.size ?? ''} onSave={save('size')} />
            <EditableField label={t('companies.fields.address')} value={c.address ?? ''} onSave={save('address')} />
            <EditableField label={t('companies.fields.description')} value={c.description ?? ''} onSave={save('description')} />
            <CustomFieldRows entity="company" values={c.custom_fields as Record<string, unknown>} onSave={(p) => patch.mutateAsync(p)} />
          </Card>
          <RecordTasks field="company_id" id={c.id} />
        </div>
        <div className="grid gap-6">
          <Card className="p-4" data-testid="company-contacts">
            <h2 className="mb-2 text-sm font-semibold">{t('nav.contacts')}</h2>
            {contacts.data?.length ? (
              <ul className="-mx-1 grid gap-0.5 sm:grid-cols-2">
                {contacts.data.map((p) => (
                  <li key={p.id}>
                    <Link
                      to={`/contacts/${p.id}`}
                      className="flex items-center gap-2 rounded-md px-1 py-1.5 text-[13px] hover:bg-accent/60"
                    >
                      <Avatar name={p.name} />
                      <span className="min-w-0 flex-1 truncate font-medium">{p.name}</span>
                      {p.job_position && <span className="truncate text-xs text-muted-foreground">{p.job_position}</span>}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="py-1 text-[13px] text-muted-foreground">{t('companies.noContacts')}</p>
            )}
          </Card>
          <RelatedLeads field="company_id" id={c.id} />
          <RecordComments field="company_id" id={c.id} />
          <Timeline target={{ kind: 'company', id: c.id }} hideComments />
        </div>
      </div>
    </div>
  )
}
