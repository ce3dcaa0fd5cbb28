import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { CalendarDays } from 'lucide-react'
import { api, orgHeader } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useMemberMap } from '@/api/hooks/orgs'
import type { Project } from '@/api/types'
import { CreateDialog } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { ResourceList, type ListColumn } from '@/components/lists/ResourceList'
import { ProjectStatusBadge, PROJECT_STATUSES } from '@/components/projects/ProjectStatus'
import { RecordLink } from '@/components/records/RecordLink'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Input, NativeSelect } from '@/components/ui/input'
import { Avatar } from '@/components/ui/misc'
import { formatDateOnly, formatNumber, relativeTime } from '@/lib/format'

export function NewProjectDialog() {
  const { t } = useTranslation()
  return (
    <CreateDialog
      label={t('projects.new')}
      testId="new-project"
      initial={{ name: '', company_id: '', due_date: '', status: 'planned' }}
      required={['name']}
      entity="project"
      invalidate={['list/projects', 'picker/projects']}
      created={(name) => t('projects.created', { name })}
      create={async (v, custom_fields) =>
        unwrap(
          await api.POST('/api/v1/projects', {
            params: { header: orgHeader },
            body: {
              name: v.name.trim(),
              company_id: v.company_id || null,
              due_date: v.due_date || null,
              status: v.status as Project['status'],
              assignee_ids: [],
              custom_fields: custom_fields as Record<string, never>,
              tags: [],
            },
          }),
        )
      }
      fields={(v, set, errors, setValue) => (
        <>
          <Field label={t('projects.fields.name')} error={errors.name}>
            <Input name="name" autoFocus value={v.name} onChange={set('name')} placeholder={t('projects.namePlaceholder')} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('projects.fields.company')} error={errors.company_id}>
              <RecordPicker kind="companies" value={v.company_id} onChange={(id) => setValue('company_id', id)} />
            </Field>
            <Field label={t('projects.fields.due')} error={errors.due_date}>
              <Input name="due_date" type="date" value={v.due_date} onChange={set('due_date')} />
            </Field>
          </div>
          <Field label={t('projects.fields.status')} error={errors.status}>
            <NativeSelect name="status" value={v.status} onChange={set('status')}>
              {PROJECT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`projects.statuses.${s}`)}
                </option>
              ))}
            </NativeSelect>
          </Field>
        </>
      )}
    />
  )
}

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
    { key: 'status', label: t('projects.fields.status'), width: '8rem', render: (p) => <ProjectStatusBadge status={p.status} /> },
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
      title={t('nav.projects')}
      columns={columns}
      rowHref={(p) => `/projects/${p.id}`}
      filters={[
        {
          field: 'status',
          label: t('projects.fields.status'),
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
          options: [...members.values()].map((m) => ({ value: m.user_id, label: m.name })),
        },
        { field: 'due_date', label: t('projects.fields.due') },
        { field: 'name', label: t('projects.fields.name') },
      ]}
      actions={<NewProjectDialog />}
      empty={{ title: t('projects.emptyTitle'), body: t('projects.emptyBody'), action: <NewProjectDialog /> }}
    />
  )
}
