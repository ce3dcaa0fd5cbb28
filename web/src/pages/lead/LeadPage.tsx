import { useEffect, useState } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Building2, ChevronLeft, Loader2, Mail, Phone, RotateCcw, ThumbsDown, Trash2, Trophy, UserRound } from 'lucide-react'
import { isApiError } from '@/api/problem'
import { useMemberMap } from '@/api/hooks/orgs'
import { usePipelines } from '@/api/hooks/pipelines'
import { useRecordName } from '@/api/hooks/recordNames'
import type { Stage } from '@/api/types'
import { StageBadge, StatusBadge } from '@/components/leads/badges'
import { Button } from '@/components/ui/button'
import { ConfirmButton } from '@/components/ui/confirm'
import { Card, Skeleton } from '@/components/ui/misc'
import { formatDate, formatDateOnly, formatMoney } from '@/lib/format'
import { backTarget, cameFrom } from '@/lib/backLink'
import { CURRENCIES } from '@/lib/brand'
import { NotFound } from '../NotFoundPage'
import { LEAD_SOURCES } from '../lists/LeadsPage'
import { WonLostDialog } from '../pipeline/WonLostDialog'
import { EditableField } from './EditableField'
import { Timeline } from './Timeline'
import { StageBar } from './StageBar'
import { RecordTags } from './LeadTags'
import { LeadFollowers } from './LeadFollowers'
import { CustomFieldRows } from '@/components/records/CustomFieldRows'
import { EditableRecord } from '@/components/records/EditableRecord'
import { RecordTasks } from '@/components/tasks/RecordTasks'
import { RecordComments } from '@/components/comments/RecordComments'
import { useLead, usePatchLead, type LeadPatch } from './useLead'
import { useLeadActions } from './useLeadActions'
import { errorText } from '@/api/errors'

/** What the won/lost dialog is asked for: a stage to close on, and whether the outcome is fixed. */
interface Closing {
  stage: Stage
  initial: 'won' | 'lost'
  only?: 'won' | 'lost'
}

export default function LeadPage() {
  const { leadId = '' } = useParams()
  const { t, i18n } = useTranslation()
  const location = useLocation()
  const navigate = useNavigate()
  const lead = useLead(leadId)
  const patch = usePatchLead(lead.data)
  const { move, remove } = useLeadActions(lead.data)
  const pipelines = usePipelines()
  const members = useMemberMap()
  const contact = useRecordName('contacts', lead.data?.contact_id).data
  const company = useRecordName('companies', lead.data?.company_id).data
  const [closing, setClosing] = useState<Closing | null>(null)
  const back = backTarget(cameFrom(location.pathname), { to: '/pipeline', label: 'nav.pipeline' })

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
        <Skeleton className="h-8 w-full" />
        <div className="grid gap-6 lg:grid-cols-[20rem_1fr]">
          <Skeleton className="h-80" />
          <Skeleton className="h-80" />
        </div>
      </div>
    )
  }
  const l = lead.data
  const stages = pipelines.data?.find((p) => p.id === l.pipeline_id)?.stages ?? []
  const stage = stages.find((s) => s.id === l.stage_id)
  const save =
    (field: string, transform: (v: string) => unknown = (v) => v.trim() || null) =>
    (v: string) =>
      patch.mutateAsync({ [field]: transform(v) })
  const owner = l.assigned_to ? members.get(l.assigned_to) : undefined
  const wonStage = stages.find((s) => s.kind === 'won') ?? stages.find((s) => s.kind === 'closed')
  const lostStage = stages.find((s) => s.kind === 'lost') ?? stages.find((s) => s.kind === 'closed')
  const reopenStage = [...stages].reverse().find((s) => s.kind === 'open')
  const busy = move.isPending || remove.isPending

  /** A click on the stage bar: open stages move at once, closing ones ask how it ended. */
  const pick = (s: Stage) => {
    if (s.kind === 'open') move.mutate({ stageId: s.id })
    else if (s.kind === 'won') move.mutate({ stageId: s.id, outcome: 'won' })
    else if (s.kind === 'lost') setClosing({ stage: s, initial: 'lost', only: 'lost' })
    else setClosing({ stage: s, initial: 'won' })
  }

  return (
    <div className="mx-auto max-w-6xl px-4 py-5 md:px-6">
      <Link
        to={back.to}
        className="inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
        data-testid="back-link"
      >
        <ChevronLeft className="size-3.5" />
        {t('back.to', { place: t(back.label) })}
      </Link>
      <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="text-xl font-semibold tracking-tight" data-testid="lead-title">
          {l.title}
        </h1>
        <StageBadge stage={stage} />
        <StatusBadge status={l.status} />
        <div className="flex w-full flex-wrap items-center gap-2 sm:ml-auto sm:w-auto">
          {l.estimated_value != null && (
            <span className="mr-1 text-lg font-semibold tabular-nums">{formatMoney(l.estimated_value, l.currency, i18n.language)}</span>
          )}
          {l.status === 'open' ? (
            <>
              <Button
                size="sm"
                className="bg-success text-white hover:bg-success/90"
                disabled={busy || !wonStage}
                onClick={() => wonStage && move.mutate({ stageId: wonStage.id, outcome: 'won' })}
                data-testid="mark-won"
              >
                {move.isPending && move.variables?.outcome === 'won' ? <Loader2 className="animate-spin" /> : <Trophy />}
                {t('deal.won')}
              </Button>
              <Button
                size="sm"
                variant="outline"
                className="border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive"
                disabled={busy || !lostStage}
                onClick={() => lostStage && setClosing({ stage: lostStage, initial: 'lost', only: 'lost' })}
                data-testid="mark-lost"
              >
                <ThumbsDown />
                {t('deal.lost')}
              </Button>
            </>
          ) : (
            reopenStage && (
              <Button
                size="sm"
                variant="outline"
                disabled={busy}
                onClick={() => move.mutate({ stageId: reopenStage.id })}
                data-testid="reopen"
              >
                <RotateCcw />
                {t('deal.reopen')}
              </Button>
            )
          )}
          <ConfirmButton
            variant="ghost"
            size="icon-sm"
            aria-label={t('deal.delete')}
            className="text-muted-foreground hover:text-destructive"
            disabled={busy}
            title={t('deal.deleteTitle', { name: l.title })}
            body={t('deal.deleteBody')}
            confirmLabel={t('deal.delete')}
            onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate(back.to) })}
            data-testid="delete-lead"
          >
            <Trash2 />
          </ConfirmButton>
        </div>
      </div>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {contact && (
          <Link to={`/contacts/${contact.id}`} className="flex items-center gap-1 hover:text-foreground" data-testid="lead-contact-link">
            <UserRound className="size-3" />
            {contact.name}
          </Link>
        )}
        {company ? (
          <Link to={`/companies/${company.id}`} className="flex items-center gap-1 hover:text-foreground">
            <Building2 className="size-3" />
            {company.name}
          </Link>
        ) : (
          l.company_name && <span>{l.company_name}</span>
        )}
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
        {l.closed_at && <span>{t('deal.closedOn', { date: formatDate(l.closed_at, i18n.language) })}</span>}
      </div>
      {stages.length > 0 && <StageBar lead={l} stages={stages} busy={busy} onPick={pick} />}

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[21rem_minmax(0,1fr)]">
        <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-6">
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">{t('lead.details')}</h2>
            <EditableField label={t('leads.fields.title')} value={l.title} onSave={save('full_name', (v) => v.trim())} />
            <EditableRecord
              label={t('leads.fields.contact')}
              kind="contacts"
              value={l.contact_id}
              onSave={(id) => patch.mutateAsync({ contact_id: id })}
            />
            <EditableRecord
              label={t('leads.fields.company')}
              kind="companies"
              value={l.company_id}
              onSave={(id, record) => patch.mutateAsync({ company_id: id, company_name: record?.name ?? null })}
            />
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
              options={[...new Set([l.currency, ...CURRENCIES])].map((c) => ({ value: c, label: c }))}
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
            {l.status === 'lost' && (
              <EditableField label={t('pipeline.lostReason')} value={l.lost_reason ?? ''} onSave={save('lost_reason')} />
            )}
            <RecordTags tags={l.tags} busy={patch.isPending} onSave={(tags) => void patch.mutateAsync({ tags }).catch(() => undefined)} />
            <CustomFieldRows
              entity="lead"
              values={l.custom_fields as Record<string, unknown>}
              onSave={(v) => patch.mutateAsync(v as LeadPatch)}
            />
          </Card>
          <LeadFollowers lead={l} />
          <RecordTasks field="lead_id" id={l.id} />
          <RecordComments field="lead_id" id={l.id} />
        </div>
        {/* Comments are shown in their card above, not a second time in the timeline. */}
        <Timeline target={{ kind: 'lead', id: l.id, contactId: l.contact_id, contactName: contact?.name ?? null }} hideComments />
      </div>
      {closing && (
        <WonLostDialog
          open
          leadTitle={l.title}
          stageName={closing.stage.name}
          initialOutcome={closing.initial}
          only={closing.only}
          onCancel={() => setClosing(null)}
          onConfirm={(outcome, reason) => {
            move.mutate({ stageId: closing.stage.id, outcome, lostReason: reason })
            setClosing(null)
          }}
        />
      )}
    </div>
  )
}
