import { useEffect } from 'react'
import { Link, useParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { ChevronLeft } from 'lucide-react'
import { isApiError } from '@/api/problem'
import { useMembers } from '@/api/hooks/orgs'
import { usePatchRecord, useRecord } from '@/api/hooks/records'
import { RecordComments } from '@/components/comments/RecordComments'
import { PROJECT_STATUSES, ProjectStatusBadge } from '@/components/projects/ProjectStatus'
import { Avatar, Card, Skeleton } from '@/components/ui/misc'
import { formatDate, formatDateOnly, relativeTime } from '@/lib/format'
import { NotFound } from '../NotFoundPage'
import { CustomFieldRows } from '@/components/records/CustomFieldRows'
import { EditableRecord } from '@/components/records/EditableRecord'
import { EditableField } from '../lead/EditableField'
import { DeleteProject } from './DeleteProject'
import { ProjectTasks } from './ProjectTasks'
import { errorText } from '@/api/errors'

export default function ProjectPage() {
  const { projectId = '' } = useParams()
  const { t, i18n } = useTranslation()
  const project = useRecord('projects', projectId)
  const patch = usePatchRecord('projects', project.data)
  const members = useMembers()

  useEffect(() => {
    if (project.data) document.title = `${project.data.name} · Loved CRM`
  }, [project.data])

  if (project.isError) {
    if (isApiError(project.error) && (project.error.status === 404 || project.error.status === 400)) {
      return <NotFound title={t('projects.notFoundTitle')} body={t('projects.notFoundBody')} />
    }
    return <p className="p-8 text-destructive">{errorText(project.error)}</p>
  }
  if (!project.data) return <Skeleton className="m-6 h-80" />
  const p = project.data
  const save =
    (field: string, transform: (v: string) => unknown = (v) => v.trim() || null) =>
    (v: string) =>
      patch.mutateAsync({ [field]: transform(v) })
  const memberName = new Map((members.data ?? []).map((m) => [m.user_id, m.name]))

  return (
    <div className="mx-auto max-w-6xl px-4 py-5 md:px-6">
      <Link to="/projects" className="inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground">
        <ChevronLeft className="size-3.5" />
        {t('nav.projects')}
      </Link>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight" data-testid="record-title">
          {p.name}
        </h1>
        <ProjectStatusBadge status={p.status} />
        <span className="ml-auto text-xs text-muted-foreground" title={formatDate(p.updated_at, i18n.language, true)}>
          {t('projects.lastUpdated', { when: relativeTime(p.updated_at, i18n.language) })}
        </span>
        <DeleteProject project={p} />
      </div>
      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[18rem_1fr]">
        <div className="grid gap-6">
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">{t('lead.details')}</h2>
            <EditableField label={t('projects.fields.name')} value={p.name} onSave={save('name', (v) => v.trim())} />
            <EditableField
              label={t('projects.fields.status')}
              value={p.status}
              display={t(`projects.statuses.${p.status}`)}
              options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`projects.statuses.${s}`) }))}
              onSave={save('status', (v) => v)}
            />
            <EditableRecord
              label={t('projects.fields.company')}
              kind="companies"
              value={p.company_id}
              onSave={(id) => patch.mutateAsync({ company_id: id })}
            />
            <EditableField
              label={t('projects.fields.due')}
              type="date"
              value={p.due_date ?? ''}
              display={formatDateOnly(p.due_date, i18n.language)}
              onSave={save('due_date')}
            />
            <EditableField
              label={t('projects.fields.owner')}
              value={p.owner_id ?? ''}
              display={p.owner_id ? memberName.get(p.owner_id) : undefined}
              options={[{ value: '', label: t('common.none') }, ...(members.data ?? []).map((m) => ({ value: m.user_id, label: m.name }))]}
              onSave={save('owner_id')}
            />
            <EditableField label={t('projects.fields.description')} value={p.description ?? ''} onSave={save('description')} />
            <CustomFieldRows entity="project" values={p.custom_fields as Record<string, unknown>} onSave={(v) => patch.mutateAsync(v)} />
            {p.assignee_ids.length > 0 && (
              <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-center gap-2 py-1">
                <span className="text-xs text-muted-foreground">{t('projects.fields.team')}</span>
                <span className="flex flex-wrap gap-1 px-2">
                  {p.assignee_ids.map((id) => (memberName.get(id) ? <Avatar key={id} name={memberName.get(id)!} /> : null))}
                </span>
              </div>
            )}
          </Card>
          <RecordComments field="project_id" id={p.id} />
        </div>
        <ProjectTasks projectId={p.id} />
      </div>
    </div>
  )
}
