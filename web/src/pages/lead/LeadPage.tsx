import { useEffect } from 'react'
import { Link, useParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ChevronLeft, Mail, Phone } from 'lucide-react'
import { isApiError } from '@/api/problem'
import { useMemberMap } from '@/api/hooks/orgs'
import { useStageMap } from '@/api/hooks/pipelines'
import { StageBadge, StatusBadge } from '@/components/leads/badges'
import { Card, Skeleton } from '@/components/ui/misc'
import { formatDate, formatDateOnly, formatMoney } from '@/lib/format'
import { NotFound } from '../NotFoundPage'
import { LEAD_SOURCES } from '../lists/LeadsPage'
import { EditableField } from './EditableField'
import { Timeline } from './Timeline'
import { CustomFieldRows } from '@/components/records/CustomFieldRows'
import { RecordTasks } from '@/components/tasks/RecordTasks'
import { RecordComments } from '@/components/comments/RecordComments'
import { useLead, usePatchLead, type LeadPatch } from './useLead'
import { errorText } from '@/api/errors'

export default function LeadPage() {
  const { leadId = '' } = useParams()
  const { t, i18n } = useTranslation()
  const lead = useLead(leadId)
  const patch = usePatchLead(lead.data)
  const stages = useStageMap()
  const members = useMemberMap()

  useEffect(() => {
    if (lead.data) document.title = `${lead.data.title} · Loved CRM`
  }, [lead.data])

  if (lead.isError) {
    if (isApiError(lead.error) && (lead.error.status === 404 || lead.error.status === 400)) {
      return <NotFound title={t('lead.notFoundTitle')} body={t('lead.notFoundBody')} />
    }
    return <p className="p-8 text-destructive">{errorText(lead.error)}</p>
  }
  if (!lead.data) {
    return (
      <div className="mx-auto max-w-6xl space-y-4 p-6">
        <Skeleton className="h-8 w-64" />
        <div className="grid gap-6 lg:grid-cols-[20rem_1fr]">
          <Skeleton className="h-80" />
          <Skeleton className="h-80" />
        </div>
      </div>
    )
  }
  const l = lead.data
  const save =
    (field: string, transform: (v: string) => unknown = (v) => v.trim() || null) =>
    (v: string) =>
      patch.mutateAsync({ [field]: transform(v) })
  const owner = l.assigned_to ? members.get(l.assigned_to) : undefined

  return (
    <div className="mx-auto max-w-6xl px-4 py-5 md:px-6">
      <Link to="/pipeline" className="inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground">
        <ChevronLeft className="size-3.5" />
        {t('nav.pipeline')}
      </Link>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight" data-testid="lead-title">
          {l.title}
        </h1>
        <StageBadge stage={stages.get(l.stage_id)} />
        <StatusBadge status={l.status} />
        {l.estimated_value != null && (
          <span className="ml-auto text-lg font-semibold tabular-nums">{formatMoney(l.estimated_value, l.currency, i18n.language)}</span>
        )}
      </div>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {l.company_name && <span>{l.company_name}</span>}
        {l.email && (
          <a href={`mailto:${l.email}`} className="flex items-center gap-1 hover:text-foreground">
            <Mail className="size-3" />
            {l.email}
          </a>
        )}
        {l.phone && (
          <a href={`tel:${l.phone}`} className="flex items-center gap-1 hover:text-foreground">
            <Phone className="size-3" />
            {l.phone}
          </a>
        )}
        <span>{t('lead.createdOn', { date: formatDate(l.created_at, i18n.language) })}</span>
      </div>

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[21rem_1fr]">
        <div className="grid gap-6">
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">{t('lead.details')}</h2>
            <EditableField label={t('leads.fields.title')} value={l.title} onSave={save('full_name', (v) => v.trim())} />
            <EditableField label={t('leads.fields.company')} value={l.company_name ?? ''} onSave={save('company_name')} />
            <EditableField label={t('contacts.fields.email')} type="email" value={l.email ?? ''} onSave={save('email')} />
            <EditableField label={t('contacts.fields.phone')} type="tel" value={l.phone ?? ''} onSave={save('phone')} />
            <EditableField
              label={t('leads.fields.value')}
              type="number"
              value={l.estimated_value != null ? String(l.estimated_value) : ''}
              display={formatMoney(l.estimated_value, l.currency, i18n.language)}
              onSave={save('estimated_value', (v) => (v.trim() ? Number(v) : null))}
            />
            <EditableField
              label={t('leads.fields.currency')}
              value={l.currency}
              options={['BRL', 'USD', 'EUR', 'ARS', 'MXN', 'CLP', 'COP', 'GBP'].map((c) => ({ value: c, label: c }))}
              onSave={save('currency', (v) => v)}
            />
            <EditableField
              label={t('leads.fields.probability')}
              type="number"
              value={l.probability != null ? String(l.probability) : ''}
              display={l.probability != null ? `${l.probability}%` : ''}
              onSave={save('probability', (v) => (v.trim() ? Math.round(Number(v)) : null))}
            />
            <EditableField
              label={t('leads.fields.closeDate')}
              type="date"
              value={l.expected_close_date ?? ''}
              display={formatDateOnly(l.expected_close_date, i18n.language)}
              onSave={save('expected_close_date')}
            />
            <EditableField
              label={t('leads.fields.source')}
              value={l.source}
              display={t(`leads.sources.${l.source}`, { defaultValue: l.source })}
              options={LEAD_SOURCES.map((s) => ({ value: s, label: t(`leads.sources.${s}`) }))}
              onSave={save('source', (v) => v)}
            />
            <EditableField
              label={t('leads.fields.owner')}
              value={l.assigned_to ?? ''}
              display={owner?.name}
              options={[{ value: '', label: t('common.none') }, ...[...members.values()].map((m) => ({ value: m.user_id, label: m.name }))]}
              onSave={save('assigned_to')}
            />
            {l.lost_reason && <EditableField label={t('pipeline.lostReason')} value={l.lost_reason} onSave={save('lost_reason')} />}
            <CustomFieldRows
              entity="lead"
              values={l.custom_fields as Record<string, unknown>}
              onSave={(v) => patch.mutateAsync(v as LeadPatch)}
            />
          </Card>
          <RecordTasks field="lead_id" id={l.id} />
          <RecordComments field="lead_id" id={l.id} />
        </div>
        <Timeline target={{ kind: 'lead', id: l.id, contactId: l.contact_id }} />
      </div>
    </div>
  )
}
