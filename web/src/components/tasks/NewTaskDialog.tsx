import { useTranslation } from 'react-i18next'
import { api, orgHeader } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useMembers } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { dueFromDateInput, type Task } from '@/api/hooks/tasks'
import { CreateDialog } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Input, NativeSelect } from '@/components/ui/input'

const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const

/** "New task" on the tasks page: name, project, due date, priority, assignee and the required custom fields. */
export function NewTaskDialog() {
  const { t } = useTranslation()
  const session = useSession()
  const members = useMembers()
  return (
    <CreateDialog
      label={t('tasks.newTask')}
      testId="new-task"
      initial={{ name: '', project_id: '', due: '', priority: 'medium', assignee_id: session?.user.id ?? '' }}
      required={['name']}
      entity="task"
      invalidate={['list/tasks', 'tasks', 'list/projects']}
      created={(name) => t('tasks.created', { name })}
      create={async (v, custom_fields) =>
        unwrap(
          await api.POST('/api/v1/tasks', {
            params: { header: orgHeader },
            body: {
              name: v.name.trim(),
              project_id: v.project_id || null,
              due_date: dueFromDateInput(v.due),
              priority: v.priority as Task['priority'],
              assignee_id: v.assignee_id || null,
              custom_fields: custom_fields as Record<string, never>,
              tags: [],
            },
          }),
        )
      }
      fields={(v, set, errors, setValue) => (
        <>
          <Field label={t('tasks.name')} error={errors.name}>
            <Input name="name" autoFocus value={v.name} onChange={set('name')} placeholder={t('tasks.namePlaceholder')} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('tasks.project')} error={errors.project_id}>
              <RecordPicker kind="projects" value={v.project_id} onChange={(id) => setValue('project_id', id)} />
            </Field>
            <Field label={t('tasks.due')} error={errors.due_date}>
              <Input name="due" type="date" value={v.due} onChange={set('due')} />
            </Field>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('tasks.priority')} error={errors.priority}>
              <NativeSelect name="priority" value={v.priority} onChange={set('priority')}>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`tasks.priorities.${p}`)}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label={t('tasks.assignee')} error={errors.assignee_id}>
              <NativeSelect name="assignee_id" value={v.assignee_id} onChange={set('assignee_id')}>
                <option value="">{t('common.none')}</option>
                {members.data?.map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          </div>
        </>
      )}
    />
  )
}
