import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Loader2, Plus } from 'lucide-react'
import { useMembers } from '@/api/hooks/orgs'
import { useSession } from '@/api/hooks/session'
import { dueFromInputs, useCreateTask, useRecordTasks } from '@/api/hooks/tasks'
import { fieldErrors } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { Avatar, Card, Skeleton } from '@/components/ui/misc'
import { cn } from '@/lib/utils'
import { CustomFieldInputs } from '@/components/records/CustomFieldInputs'
import { useCustomFieldDrafts } from '@/components/records/useCustomFieldDrafts'
import { TaskCheckbox } from './TaskCheckbox'
import { DueInput } from './DueInput'
import { DueLabel } from './DueLabel'

/** The tasks of one lead (or contact, company): tick them off or add one. */
export function RecordTasks({ field, id }: { field: 'lead_id' | 'contact_id' | 'company_id'; id: string }) {
  const { t } = useTranslation()
  const tasks = useRecordTasks(field, id)
  const members = useMembers()
  const session = useSession()
  const create = useCreateTask()
  const [adding, setAdding] = useState(false)
  const [name, setName] = useState('')
  const [due, setDue] = useState('')
  const [dueTime, setDueTime] = useState('')
  const [assignee, setAssignee] = useState(session?.user.id ?? '')
  const [error, setError] = useState<string | null>(null)
  const [fieldErrs, setFieldErrs] = useState<Record<string, string>>({})
  const custom = useCustomFieldDrafts('task')
  const memberName = new Map((members.data ?? []).map((m) => [m.user_id, m.name]))
  const list = [...(tasks.data ?? [])].sort((a, b) => Number(a.status === 'done') - Number(b.status === 'done'))

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return setError(t('auth.required'))
    const missing = custom.missing()
    setFieldErrs(Object.fromEntries(missing.map((k) => [k, t('auth.required')])))
    if (missing.length) return
    create.mutate(
      {
        name: name.trim(),
        [field]: id,
        due_date: dueFromInputs(due, dueTime),
        assignee_id: assignee || null,
        custom_fields: custom.body(),
        tags: [],
      },
      {
        onSuccess: () => {
          setName('')
          setDue('')
          setDueTime('')
          setError(null)
          setFieldErrs({})
          custom.reset()
          setAdding(false)
        },
        onError: (err) => {
          const m = fieldErrors(err, custom.formFields)
          setFieldErrs(m.fields)
          setError(m.form)
        },
      },
    )
  }

  return (
    <Card className="p-4" data-testid="record-tasks">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold">{t('tasks.title')}</h2>
        {!adding && (
          <Button variant="ghost" size="sm" className="-mr-2 h-7" onClick={() => setAdding(true)}>
            <Plus />
            {t('tasks.add')}
          </Button>
        )}
      </div>
      {adding && (
        <form onSubmit={submit} className="mb-3 grid gap-2 rounded-md border bg-muted/40 p-2">
          <Input
            autoFocus
            aria-label={t('tasks.name')}
            placeholder={t('tasks.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="h-8 text-[13px]"
          />
          <DueInput
            label={t('tasks.due')}
            date={due}
            time={dueTime}
            onChange={(d, time) => {
              setDue(d)
              setDueTime(time)
            }}
            className="[&_input]:h-8 [&_input]:text-[13px]"
          />
          <div className="flex gap-2">
            <NativeSelect
              aria-label={t('tasks.assignee')}
              value={assignee}
              onChange={(e) => setAssignee(e.target.value)}
              className="h-8 min-w-0 flex-1 text-[13px]"
            >
              <option value="">{t('common.none')}</option>
              {members.data?.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {m.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <CustomFieldInputs defs={custom.defs} values={custom.values} errors={fieldErrs} onChange={custom.set} />
          {error && (
            <p role="alert" className="text-xs text-destructive">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" size="sm" className="h-7" onClick={() => setAdding(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" size="sm" className="h-7" disabled={create.isPending}>
              {create.isPending && <Loader2 className="animate-spin" />}
              {t('tasks.add')}
            </Button>
          </div>
        </form>
      )}
      {tasks.isPending ? (
        <Skeleton className="h-10 w-full" />
      ) : list.length === 0 ? (
        !adding && <p className="py-2 text-[13px] text-muted-foreground">{t('tasks.none')}</p>
      ) : (
        <ul className="-mx-1">
          {list.map((task) => (
            <li key={task.id} className="flex items-center gap-2.5 rounded-md px-1 py-1.5 hover:bg-accent/50">
              <TaskCheckbox task={task} />
              <span className={cn('min-w-0 flex-1 truncate text-[13px]', task.status === 'done' && 'text-muted-foreground line-through')}>
                {task.name}
              </span>
              <DueLabel task={task} />
              {task.assignee_id && memberName.get(task.assignee_id) && (
                <Avatar name={memberName.get(task.assignee_id)!} className="size-5 text-[9px]" />
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
