import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { CalendarDays } from 'lucide-react'
import { useMemberMap } from '@/api/hooks/orgs'
import type { Project } from '@/api/types'
import { NewProjectDialog } from '@/components/projects/NewProjectDialog'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { ProjectStatusBadge, PROJECT_STATUSES } from '@/components/projects/ProjectStatus'
import { RecordLink } from '@/components/records/RecordLink'
import { Avatar } from '@/components/ui/misc'
import { formatDateOnly, formatNumber, relativeTime } from '@/lib/format'

export default function ProjectsPage() {
  const { t, i18n } = useTranslation()
  const members = useMemberMap()
  useEffect(() => {
    document.title = `${t('nav.projects')} · Loved CRM`
  }, [t])

  const columns: ListColumn<Project>[] = [
    {
      key: 'name',
      label: t('projects.fields.name'),
      sort: 'name',
      width: 'minmax(14rem,2fr)',
      render: (p) => <span className="truncate font-medium">{p.name}</span>,
    },
    {
      key: 'status',
      label: t('projects.fields.status'),
      width: '9rem',
      render: (p) => <ProjectStatusBadge status={p.status} />,
      edit: {
        label: (p) => t('inline.of', { field: t('projects.fields.status'), name: p.name }),
        input: 'select',
        options: PROJECT_STATUSES.map((s) => ({ value: s, label: t(`projects.statuses.${s}`) })),
        value: (p) => p.status,
        patch: (v) => ({ status: v }),
      },
    },
    {
      key: 'company',
      label: t('projects.fields.company'),
      width: 'minmax(8rem,1fr)',
      render: (p) => <RecordLink kind="companies" id={p.company_id} />,
    },
    {
      key: 'tasks',
      label: t('projects.fields.tasks'),
      width: '7rem',
      render: (p) => (
        <span className="tabular-nums text-muted-foreground">
          {t('projects.openOf', { open: formatNumber(p.open_task_count, i18n.language), total: formatNumber(p.task_count, i18n.language) })}
        </span>
      ),
    },
    {
      key: 'team',
      label: t('projects.fields.team'),
      width: '7rem',
      hideBelow: 'md',
      render: (p) => (
        <span className="flex -space-x-1.5">
          {p.assignee_ids
            .slice(0, 4)
            .map((id) => (members.get(id) ? <Avatar key={id} name={members.get(id)!.name} className="ring-2 ring-card" /> : null))}
        </span>
      ),
    },
    {
      key: 'due',
      label: t('projects.fields.due'),
      sort: 'due_date',
      width: '8.5rem',
      render: (p) =>
        p.due_date ? (
          <span className="flex items-center gap-1 text-muted-foreground">
            <CalendarDays className="size-3.5" />
            {formatDateOnly(p.due_date, i18n.language)}
          </span>
        ) : null,
    },
    {
      key: 'updated',
      label: t('projects.fields.updated'),
      sort: 'updated_at',
      width: '7rem',
      hideBelow: 'lg',
      render: (p) => <span className="text-muted-foreground">{relativeTime(p.updated_at, i18n.language)}</span>,
    },
  ]

  return (
    <ResourceList<Project>
      resource="projects"
      entity="project"
      title={t('nav.projects')}
      allLabel={t('views.allProjects')}
      columns={columns}
      rowHref={(p) => `/projects/${p.id}`}
      filters={[
        {
          field: 'status',
          label: t('projects.fields.status'),
          nullable: false,
          options: PROJECT_STATUSES.map((s) => ({ value: s, label: t(`projects.statuses.${s}`) })),
        },
        {
          field: 'company_id',
          label: t('projects.fields.company'),
          picker: 'companies',
        },
        {
          field: 'owner_id',
          label: t('projects.fields.owner'),
          type: 'ref',
          options: [...members.values()].map((m) => ({ value: m.user_id, label: m.name })),
        },
        { field: 'due_date', label: t('projects.fields.due'), type: 'date' },
        { field: 'name', label: t('projects.fields.name'), nullable: false },
      ]}
      actions={<NewProjectDialog />}
      empty={{ title: t('projects.emptyTitle'), body: t('projects.emptyBody'), action: <NewProjectDialog /> }}
    />
  )
}
