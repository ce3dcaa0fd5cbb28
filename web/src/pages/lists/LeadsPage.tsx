import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useMemberMap } from '@/api/hooks/orgs'
import { useStageMap } from '@/api/hooks/pipelines'
import type { Lead } from '@/api/types'
import { NewLeadDialog } from '@/components/leads/NewLeadDialog'
import { StageBadge, StatusBadge } from '@/components/leads/badges'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { Avatar } from '@/components/ui/misc'
import { formatDate, formatMoney } from '@/lib/format'

export const LEAD_SOURCES = ['manual', 'web', 'whatsapp', 'email', 'voip', 'import', 'api', 'referral', 'form', 'ads', 'other'] as const

export default function LeadsPage() {
  const { t, i18n } = useTranslation()
  const stages = useStageMap()
  const members = useMemberMap()
  useEffect(() => {
    document.title = `${t('nav.leads')} · Loved CRM`
  }, [t])

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
      width: '8rem',
      className: 'justify-end text-right',
      render: (l) => (
        <span className="tabular-nums">{l.estimated_value != null ? formatMoney(l.estimated_value, l.currency, i18n.language) : '—'}</span>
      ),
    },
    {
      key: 'owner',
      label: t('leads.fields.owner'),
      width: 'minmax(8rem,1fr)',
      hideBelow: 'md',
      render: (l) => {
        const m = l.assigned_to ? members.get(l.assigned_to) : undefined
        return m ? (
          <span className="flex min-w-0 items-center gap-2">
            <Avatar name={m.name} />
            <span className="truncate">{m.name}</span>
          </span>
        ) : null
      },
    },
    { key: 'status', label: t('leads.fields.status'), sort: 'status', width: '6rem', render: (l) => <StatusBadge status={l.status} /> },
    {
      key: 'created_at',
      label: t('common.created'),
      sort: 'created_at',
      width: '8rem',
      hideBelow: 'lg',
      render: (l) => <span className="text-muted-foreground">{formatDate(l.created_at, i18n.language)}</span>,
    },
  ]

  return (
    <ResourceList<Lead>
      resource="leads"
      title={t('nav.leads')}
      columns={columns}
      rowHref={(l) => `/leads/${l.id}`}
      filters={[
        {
          field: 'status',
          label: t('leads.fields.status'),
          options: ['open', 'won', 'lost'].map((s) => ({ value: s, label: t(`leads.status.${s}`) })),
        },
        { field: 'stage_id', label: t('leads.fields.stage'), options: [...stages.values()].map((s) => ({ value: s.id, label: s.name })) },
        {
          field: 'source',
          label: t('leads.fields.source'),
          options: LEAD_SOURCES.map((s) => ({ value: s, label: t(`leads.sources.${s}`) })),
        },
        {
          field: 'assigned_to',
          label: t('leads.fields.owner'),
          options: [...members.values()].map((m) => ({ value: m.user_id, label: m.name })),
        },
        { field: 'estimated_value', label: t('leads.fields.value') },
        { field: 'title', label: t('leads.fields.title') },
        { field: 'company_name', label: t('leads.fields.company') },
        { field: 'created_at', label: t('common.created') },
      ]}
      actions={<NewLeadDialog />}
      empty={{ title: t('leads.emptyTitle'), body: t('leads.emptyBody'), action: <NewLeadDialog /> }}
    />
  )
}
