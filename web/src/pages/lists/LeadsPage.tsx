import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useMemberMap } from '@/api/hooks/orgs'
import { usePipelines, useStageMap } from '@/api/hooks/pipelines'
import type { Lead } from '@/api/types'
import { NewLeadDialog } from '@/components/leads/NewLeadDialog'
import { StageBadge, StatusBadge } from '@/components/leads/badges'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import type { BulkField } from '@/components/lists/BulkEditDialog'
import { Avatar } from '@/components/ui/misc'
import { CURRENCIES } from '@/lib/brand'
import { formatDate, formatMoney } from '@/lib/format'

export const LEAD_SOURCES = ['manual', 'web', 'whatsapp', 'email', 'voip', 'import', 'api', 'referral', 'form', 'ads', 'other'] as const

export default function LeadsPage() {
  const { t, i18n } = useTranslation()
  const stages = useStageMap()
  const pipelines = usePipelines().data ?? []
  const members = useMemberMap()
  useEffect(() => {
    document.title = `${t('nav.leads')} · Loved CRM`
  }, [t])

  const memberOptions = [...members.values()].map((m) => ({ value: m.user_id, label: m.name }))
  const owner = (l: Lead) => {
    const m = l.assigned_to ? members.get(l.assigned_to) : undefined
    return m ? (
      <span className="flex min-w-0 items-center gap-2">
        <Avatar name={m.name} />
        <span className="truncate">{m.name}</span>
      </span>
    ) : (
      <span className="text-muted-foreground">—</span>
    )
  }

  const columns: ListColumn<Lead>[] = [
    {
      key: 'title',
      label: t('leads.fields.title'),
      sort: 'title',
      width: 'minmax(12rem,2fr)',
      render: (l) => <span className="truncate font-medium">{l.title}</span>,
    },
    {
      key: 'company',
      label: t('leads.fields.company'),
      sort: 'company_name',
      width: 'minmax(8rem,1.2fr)',
      render: (l) => <span className="truncate">{l.company_name}</span>,
    },
    {
      key: 'stage',
      label: t('leads.fields.stage'),
      width: 'minmax(7rem,1fr)',
      render: (l) => <StageBadge stage={stages.get(l.stage_id)} />,
    },
    {
      key: 'value',
      label: t('leads.fields.value'),
      sort: 'estimated_value',
      width: '8.5rem',
      className: 'justify-end text-right',
      render: (l) => (
        <span className="ml-auto tabular-nums">
          {l.estimated_value != null ? formatMoney(l.estimated_value, l.currency, i18n.language) : '—'}
        </span>
      ),
      edit: {
        label: (l) => t('inline.of', { field: t('leads.fields.value'), name: l.title }),
        input: 'number',
        value: (l) => (l.estimated_value != null ? String(l.estimated_value) : ''),
        patch: (v) => ({ estimated_value: v.trim() ? Number(v) : null }),
      },
    },
    {
      key: 'owner',
      label: t('leads.fields.owner'),
      width: 'minmax(9rem,1fr)',
      hideBelow: 'md',
      render: owner,
      edit: {
        label: (l) => t('inline.of', { field: t('leads.fields.owner'), name: l.title }),
        input: 'select',
        options: [{ value: '', label: t('common.none') }, ...memberOptions],
        value: (l) => l.assigned_to ?? '',
        patch: (v) => ({ assigned_to: v || null }),
      },
    },
    { key: 'status', label: t('leads.fields.status'), sort: 'status', width: '6rem', render: (l) => <StatusBadge status={l.status} /> },
    {
      key: 'tags',
      label: t('deal.tags'),
      width: 'minmax(6rem,1fr)',
      hideBelow: 'lg',
      render: (l) => (
        <span className="flex min-w-0 gap-1 overflow-hidden">
          {l.tags.map((tag) => (
            <span key={tag} className="shrink-0 rounded bg-secondary px-1.5 py-px text-[11px] font-medium text-secondary-foreground">
              {tag}
            </span>
          ))}
        </span>
      ),
    },
    {
      key: 'created_at',
      label: t('common.created'),
      sort: 'created_at',
      width: '8rem',
      hideBelow: 'lg',
      render: (l) => <span className="text-muted-foreground">{formatDate(l.created_at, i18n.language)}</span>,
    },
  ]

  // Open and won stages of every pipeline: a bulk move to a closing stage would need each deal's outcome.
  const stageOptions = pipelines.flatMap((p) =>
    p.stages
      .filter((s) => s.kind === 'open' || s.kind === 'won')
      .map((s) => ({ value: s.id, label: pipelines.length > 1 ? `${p.name} › ${s.name}` : s.name })),
  )
  const bulkFields: BulkField[] = [
    {
      key: 'owner',
      label: t('leads.fields.owner'),
      input: 'member',
      change: (v) => ({ kind: 'field', field: 'assigned_to', value: v || null }),
    },
    {
      key: 'stage',
      label: t('leads.fields.stage'),
      input: 'choice',
      options: stageOptions,
      change: (v) => ({ kind: 'stage', stageId: v }),
    },
    {
      key: 'source',
      label: t('leads.fields.source'),
      input: 'choice',
      options: LEAD_SOURCES.map((s) => ({ value: s, label: t(`leads.sources.${s}`) })),
      change: (v) => ({ kind: 'field', field: 'source', value: v }),
    },
    {
      key: 'probability',
      label: t('leads.fields.probability'),
      input: 'number',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'probability', value: v === '' ? null : Math.round(Number(v)) }),
    },
    {
      key: 'close',
      label: t('leads.fields.closeDate'),
      input: 'date',
      clearable: true,
      change: (v) => ({ kind: 'field', field: 'expected_close_date', value: v || null }),
    },
    {
      key: 'currency',
      label: t('leads.fields.currency'),
      input: 'choice',
      options: CURRENCIES.map((c) => ({ value: c, label: c })),
      change: (v) => ({ kind: 'field', field: 'currency', value: v }),
    },
  ]

  return (
    <ResourceList<Lead>
      resource="leads"
      entity="lead"
      title={t('nav.leads')}
      allLabel={t('views.allLeads')}
      columns={columns}
      rowHref={(l) => `/leads/${l.id}`}
      rowName={(l) => l.title}
      bulkFields={bulkFields}
      filters={[
        {
          field: 'status',
          label: t('leads.fields.status'),
          nullable: false,
          options: ['open', 'won', 'lost'].map((s) => ({ value: s, label: t(`leads.status.${s}`) })),
        },
        {
          field: 'stage_id',
          label: t('leads.fields.stage'),
          nullable: false,
          options: [...stages.values()].map((s) => ({ value: s.id, label: s.name })),
        },
        { field: 'assigned_to', label: t('leads.fields.owner'), type: 'ref', options: memberOptions },
        { field: 'company_id', label: t('leads.fields.company'), picker: 'companies' },
        { field: 'contact_id', label: t('leads.fields.contact'), picker: 'contacts' },
        {
          field: 'source',
          label: t('leads.fields.source'),
          nullable: false,
          options: LEAD_SOURCES.map((s) => ({ value: s, label: t(`leads.sources.${s}`) })),
        },
        { field: 'estimated_value', label: t('leads.fields.value'), type: 'number' },
        { field: 'probability', label: t('leads.fields.probability'), type: 'number' },
        { field: 'expected_close_date', label: t('leads.fields.closeDate'), type: 'date' },
        { field: 'title', label: t('leads.fields.title'), nullable: false },
        { field: 'company_name', label: t('leads.fields.companyName') },
        { field: 'email', label: t('contacts.fields.email') },
        { field: 'last_contact_at', label: t('leads.fields.lastContact'), type: 'timestamp' },
        { field: 'created_at', label: t('common.created'), type: 'timestamp', nullable: false },
      ]}
      actions={<NewLeadDialog />}
      empty={{ title: t('leads.emptyTitle'), body: t('leads.emptyBody'), action: <NewLeadDialog /> }}
    />
  )
}
