import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useMembers } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { dueFromInputs, type Task } from '@/api/hooks/tasks'
import { CreateDialog, type CreateDialogProps } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Input, NativeSelect } from '@/components/ui/input'
import { DueInput } from './DueInput'

const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const

/** "New task" on the tasks page: name, project, due date and time, priority, assignee and the required custom fields. */
export function NewTaskDialog({ testId = 'new-task', ...props }: CreateDialogProps & { testId?: string }) {
  const { t } = useTranslation()
  const session = useSession()
  const members = useMembers()
  return (
    <CreateDialog
      {...props}
      label={t('tasks.newTask')}
      testId={testId}
      initial={{ name: '', project_id: '', due: '', dueTime: '', priority: 'medium', assignee_id: session?.user.id ?? '' }}
      required={['name']}
      entity="task"
      invalidate={['list/tasks', 'tasks', 'list/projects']}
      created={(name) => t('tasks.created', { name })}
      create={async (v, custom_fields) =>
        unwrap(
          await api.POST('/api/v1/tasks', {
            body: {
              name: v.name.trim(),
              project_id: v.project_id || null,
              due_date: dueFromInputs(v.due, v.dueTime),
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
            <Field label={t('tasks.due')} error={errors.due_date}>
              <DueInput
                label={t('tasks.due')}
                date={v.due}
                time={v.dueTime}
                onChange={(date, time) => {
                  setValue('due', date)
                  setValue('dueTime', time)
                }}
              />
            </Field>
            <Field label={t('tasks.project')} error={errors.project_id}>
              <RecordPicker kind="projects" value={v.project_id} onChange={(id) => setValue('project_id', id)} />
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
