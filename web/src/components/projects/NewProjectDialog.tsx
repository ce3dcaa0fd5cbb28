import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import type { Project } from '@/api/types'
import { CreateDialog, type CreateDialogProps } from '@/components/forms/CreateDialog'
import { Field } from '@/components/forms/Field'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Input, NativeSelect } from '@/components/ui/input'
import { PROJECT_STATUSES } from './ProjectStatus'

/** "New project": name, client, due date, status and the required custom fields. */
export function NewProjectDialog(props: CreateDialogProps) {
  const { t } = useTranslation()
  return (
    <CreateDialog
      {...props}
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
