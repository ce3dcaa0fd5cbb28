import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Bell, Loader2, MapPin, Plus, Repeat as RepeatIcon, Trash2, Users, X } from 'lucide-react'
import { fieldErrors, toastError } from '@/api/errors'
import { isApiError } from '@/api/problem'
import {
  fetchEvent,
  useCreateEvent,
  useDeleteEvent,
  useEvent,
  usePatchEvent,
  type CalendarEvent,
  type EditScope,
} from '@/api/hooks/calendar'
import { useMemberMap, useMembers } from '@/api/hooks/orgs'
import { useRecordName } from '@/api/hooks/recordNames'
import { Field, FormError } from '@/components/forms/Field'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input, NativeSelect, Textarea } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Avatar, Skeleton } from '@/components/ui/misc'
import { keepLength, shiftSeries, type EventTimes } from '@/lib/calendar'
import {
  bodyOf,
  changedFields,
  formOf,
  movesTime,
  REMINDER_CHOICES,
  sameAttendee,
  type AttendeeRef,
  type EventBody,
  type EventForm,
} from '@/lib/eventForm'
import { FREQUENCIES, WEEKDAYS, type Frequency, type Repeat, type RepeatEnd, type Weekday } from '@/lib/rrule'
import { cn } from '@/lib/utils'
import { useScopeQuestion } from './ScopeDialog'

/** What the dialog opens on: a new event at some times, or an event (an occurrence of a series) to edit. */
export type EventDialogTarget =
  | { mode: 'create'; times: EventTimes }
  | {
      mode: 'edit'
      id: string
      /** The occurrence clicked, for a series. */
      occurrence?: EventTimes & { occurrence_start: string }
      /** Only the occurrence's original start (a link from a reminder): its times follow from the series. */
      occurrenceStart?: string
    }

const FIELDS = [
  'title',
  'starts_at',
  'ends_at',
  'all_day',
  'location',
  'description',
  'rrule',
  'reminders',
  'attendees',
  'lead_id',
  'contact_id',
  'company_id',
  'timezone',
] as const

export function EventDialog({ target, tz, onClose }: { target: EventDialogTarget; tz: string; onClose: () => void }) {
  const { t } = useTranslation()
  const event = useEvent(target.mode === 'edit' ? target.id : null)
  const editing = target.mode === 'edit'
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="top-[5vh] max-h-[90vh] max-w-2xl overflow-y-auto" aria-describedby={undefined} data-testid="event-dialog">
        <DialogHeader>
          <DialogTitle>{t(editing ? 'calendar.editEvent' : 'calendar.newEvent')}</DialogTitle>
        </DialogHeader>
        {!editing ? (
          <EventFormBody target={target} event={null} tz={tz} onClose={onClose} />
        ) : event.isError ? (
          <p className="text-sm text-destructive" role="alert">
            {isApiError(event.error) && event.error.status === 404 ? t('calendar.eventGone') : t('problems.generic')}
          </p>
        ) : !event.data ? (
          <div className="grid gap-3">
            <Skeleton className="h-9" />
            <Skeleton className="h-24" />
            <Skeleton className="h-9" />
          </div>
        ) : (
          <EventFormBody key={event.data.id} target={target} event={event.data} tz={tz} onClose={onClose} />
        )}
      </DialogContent>
    </Dialog>
  )
}

function timesOf(target: EventDialogTarget, event: CalendarEvent | null): EventTimes & { occurrence_start?: string } {
  if (target.mode === 'create') return target.times
  if (target.occurrence) return target.occurrence
  if (target.occurrenceStart && event?.rrule) {
    const length = Date.parse(event.ends_at) - Date.parse(event.starts_at)
    const start = new Date(target.occurrenceStart)
    return {
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + length).toISOString(),
      all_day: event.all_day,
      occurrence_start: target.occurrenceStart,
    }
  }
  return { starts_at: event!.starts_at, ends_at: event!.ends_at, all_day: event!.all_day }
}

function EventFormBody({
  target,
  event,
  tz,
  onClose,
}: {
  target: EventDialogTarget
  event: CalendarEvent | null
  tz: string
  onClose: () => void
}) {
  const { t } = useTranslation()
  const shown = useMemo(() => timesOf(target, event), [target, event])
  const initial = useMemo(() => formOf(event, shown, tz), [event, shown, tz])
  const [form, setForm] = useState<EventForm>(initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const create = useCreateEvent()
  const patch = usePatchEvent()
  const remove = useDeleteEvent()
  const scope = useScopeQuestion()
  const busy = create.isPending || patch.isPending || remove.isPending
  const set = <K extends keyof EventForm>(k: K, v: EventForm[K]) => setForm((f) => ({ ...f, [k]: v }))
  const recurring = !!event?.rrule
  const occurrenceStart = recurring ? shown.occurrence_start : undefined

  const failed = (e: unknown) => {
    if (isApiError(e) && e.status === 412) {
      setFormError(t('calendar.conflict'))
      return
    }
    const m = fieldErrors(e, FIELDS)
    setErrors(m.fields)
    setFormError(m.form)
  }

  const submit = async () => {
    setErrors({})
    setFormError(null)
    const made = bodyOf(form, tz)
    if ('problems' in made) {
      const e: Record<string, string> = {}
      for (const p of made.problems) e[p] = p === 'ends_at' ? t('calendar.endBeforeStart') : t('auth.required')
      setErrors(e)
      return
    }
    const body = made.body
    if (!event) {
      create.mutate(body, {
        onSuccess: () => {
          toast.success(t('calendar.created', { title: body.title }))
          onClose()
        },
        onError: failed,
      })
      return
    }
    const before = bodyOf(initial, tz)
    const changes = 'body' in before ? changedFields(before.body, body) : body
    if (Object.keys(changes).length === 0) return onClose()
    let chosen: EditScope = 'all'
    if (recurring) {
      // A new rule cannot apply to one occurrence; without the occurrence only the series can change.
      const scopes: EditScope[] = !occurrenceStart ? ['all'] : 'rrule' in changes ? ['following', 'all'] : ['this', 'following', 'all']
      const answer = scopes.length > 1 ? await scope.ask('change', scopes) : 'all'
      if (!answer) return
      chosen = answer
    }
    const sent: Partial<EventBody> = { ...changes }
    const latest = await fetchEvent(event.id).catch(() => event)
    if (recurring && chosen === 'all' && movesTime(changes) && occurrenceStart) {
      // The series moves by as much as this occurrence did.
      Object.assign(sent, shiftSeries(latest, shown, { starts_at: body.starts_at, ends_at: body.ends_at, all_day: body.all_day }, tz))
    }
    patch.mutate(
      { id: event.id, version: latest.version, patch: sent, scope: chosen, occurrence: occurrenceStart },
      {
        onSuccess: () => {
          toast.success(t('calendar.saved'))
          onClose()
        },
        onError: failed,
      },
    )
  }

  const doDelete = async () => {
    if (!event) return
    let chosen: EditScope = 'all'
    if (recurring && occurrenceStart) {
      const answer = await scope.ask('delete')
      if (!answer) return
      chosen = answer
    } else if (!confirmDelete) {
      setConfirmDelete(true)
      return
    }
    setConfirmDelete(false)
    const latest = await fetchEvent(event.id).catch(() => event)
    remove.mutate(
      { id: event.id, version: latest.version, scope: chosen, occurrence: occurrenceStart },
      {
        onSuccess: () => {
          toast.success(t('calendar.deleted'))
          onClose()
        },
        onError: (e) => toastError(e, t('calendar.deleteFailed')),
      },
    )
  }

  const onStart = (date: string, time: string) =>
    setForm((f) => ({ ...f, startDate: date, startTime: time, ...keepLength(f, { date, time }) }))

  return (
    <>
      <form
        noValidate
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <FormError message={formError} />
        <Field label={t('calendar.fields.title')} error={errors.title}>
          <Input value={form.title} onChange={(e) => set('title', e.target.value)} autoFocus placeholder={t('calendar.titlePlaceholder')} />
        </Field>
        <label className="flex w-fit cursor-pointer items-center gap-2 text-[13px] font-medium">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            checked={form.allDay}
            onChange={(e) => {
              const allDay = e.target.checked
              setForm((f) => ({
                ...f,
                allDay,
                startTime: allDay ? '' : f.startTime || '09:00',
                endTime: allDay ? '' : f.endTime || '10:00',
              }))
            }}
          />
          {t('calendar.fields.allDay')}
        </label>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('calendar.fields.start')} error={errors.starts_at ?? errors.all_day}>
            <DateTime
              date={form.startDate}
              time={form.startTime}
              allDay={form.allDay}
              onChange={onStart}
              timeLabel={t('calendar.startTime')}
            />
          </Field>
          <Field label={t('calendar.fields.end')} error={errors.ends_at}>
            <DateTime
              date={form.endDate}
              time={form.endTime}
              allDay={form.allDay}
              onChange={(date, time) => setForm((f) => ({ ...f, endDate: date, endTime: time }))}
              timeLabel={t('calendar.endTime')}
            />
          </Field>
        </div>
        {!form.allDay && <p className="-mt-2 text-xs text-muted-foreground">{t('calendar.inZone', { zone: tz.replace(/_/g, ' ') })}</p>}
        <RepeatFields form={form} setForm={setForm} error={errors.rrule} />
        <Field label={t('calendar.fields.location')} error={errors.location}>
          <Input value={form.location} onChange={(e) => set('location', e.target.value)} placeholder={t('calendar.locationPlaceholder')} />
        </Field>
        <Field label={t('calendar.fields.description')} error={errors.description}>
          <Textarea value={form.description} onChange={(e) => set('description', e.target.value)} rows={2} className="min-h-14" />
        </Field>
        <ReminderFields value={form.reminders} onChange={(r) => set('reminders', r)} error={errors.reminders} />
        <AttendeeFields value={form.attendees} onChange={(a) => set('attendees', a)} error={errors.attendees} />
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('calendar.fields.lead')} error={errors.lead_id}>
            <RecordPicker kind="leads" value={form.lead_id} onChange={(id) => set('lead_id', id)} />
          </Field>
          <Field label={t('calendar.fields.contact')} error={errors.contact_id}>
            <RecordPicker kind="contacts" value={form.contact_id} onChange={(id) => set('contact_id', id)} />
          </Field>
          <Field label={t('calendar.fields.company')} error={errors.company_id}>
            <RecordPicker kind="companies" value={form.company_id} onChange={(id) => set('company_id', id)} />
          </Field>
        </div>
        <DialogFooter className="sticky -bottom-6 z-10 -mx-6 -mb-6 mt-2 items-center border-t bg-popover px-6 py-3 sm:justify-between">
          {event ? (
            <Button
              type="button"
              variant="ghost"
              className="text-destructive hover:text-destructive"
              disabled={busy}
              onClick={() => void doDelete()}
            >
              {remove.isPending ? <Loader2 className="animate-spin" /> : <Trash2 />}
              {t('calendar.delete')}
            </Button>
          ) : (
            <span />
          )}
          <div className="flex flex-col-reverse gap-2 sm:flex-row">
            <Button type="button" variant="outline" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={busy} data-testid="save-event">
              {(create.isPending || patch.isPending) && <Loader2 className="animate-spin" />}
              {event ? t('common.save') : t('calendar.create')}
            </Button>
          </div>
        </DialogFooter>
      </form>
      {scope.dialog}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={t('calendar.deleteTitle')}
        body={t('calendar.deleteBody', { title: event?.title ?? '' })}
        confirmLabel={t('calendar.delete')}
        busy={remove.isPending}
        onConfirm={() => void doDelete()}
      />
    </>
  )
}

function DateTime({
  date,
  time,
  allDay,
  onChange,
  timeLabel,
  id,
  ...aria
}: {
  date: string
  time: string
  allDay: boolean
  onChange: (date: string, time: string) => void
  timeLabel: string
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
}) {
  return (
    <div className="flex min-w-0 gap-1.5">
      <Input id={id} type="date" value={date} onChange={(e) => onChange(e.target.value, time)} className="min-w-0 flex-[3]" {...aria} />
      {!allDay && (
        <Input
          type="time"
          aria-label={timeLabel}
          value={time}
          onChange={(e) => onChange(date, e.target.value)}
          className="min-w-0 flex-[2]"
        />
      )}
    </div>
  )
}

/** Monday … Sunday as the reader's language abbreviates them. */
function weekdayNames(locale: string, style: 'short' | 'long'): string[] {
  const f = new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' })
  // 2024-01-01 was a Monday.
  return WEEKDAYS.map((_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i))))
}

function RepeatFields({ form, setForm, error }: { form: EventForm; setForm: (f: (f: EventForm) => EventForm) => void; error?: string }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const r = form.repeat
  const setRepeat = (patch: Partial<Repeat>) => setForm((f) => ({ ...f, customRule: null, repeat: { ...f.repeat, ...patch } }))
  const short = weekdayNames(i18n.language, 'short')
  const long = weekdayNames(i18n.language, 'long')
  const unit = r.freq ? t(`calendar.repeat.units.${r.freq}`, { count: r.interval }) : ''
  return (
    <fieldset className="grid gap-3 rounded-lg border p-3">
      <legend className="flex items-center gap-1.5 px-1 text-[13px] font-medium">
        <RepeatIcon className="size-3.5 text-muted-foreground" aria-hidden />
        {t('calendar.fields.repeat')}
      </legend>
      <div className="flex flex-wrap items-center gap-2">
        <NativeSelect
          id={id}
          aria-label={t('calendar.fields.repeat')}
          value={form.customRule ? 'custom' : (r.freq ?? 'none')}
          onChange={(e) => {
            const v = e.target.value
            if (v === 'custom') return
            setRepeat({ freq: v === 'none' ? null : (v as Frequency) })
          }}
          className="h-8 text-[13px]"
        >
          <option value="none">{t('calendar.repeat.none')}</option>
          {FREQUENCIES.map((f) => (
            <option key={f} value={f}>
              {t(`calendar.repeat.freq.${f}`)}
            </option>
          ))}
          {form.customRule && <option value="custom">{t('calendar.repeat.custom')}</option>}
        </NativeSelect>
        {r.freq && !form.customRule && (
          <label className="flex items-center gap-1.5 text-[13px] text-muted-foreground">
            {t('calendar.repeat.every')}
            <Input
              type="number"
              min={1}
              max={99}
              value={r.interval}
              onChange={(e) => setRepeat({ interval: Math.max(1, Number(e.target.value) || 1) })}
              className="h-8 w-16 text-[13px]"
              aria-label={t('calendar.repeat.interval')}
            />
            {unit}
          </label>
        )}
      </div>
      {form.customRule && <p className="text-xs text-muted-foreground">{t('calendar.repeat.customHelp', { rule: form.customRule })}</p>}
      {r.freq === 'WEEKLY' && !form.customRule && (
        <div role="group" aria-label={t('calendar.repeat.onDays')} className="flex flex-wrap gap-1">
          {WEEKDAYS.map((d: Weekday, i) => {
            const on = r.byDay.includes(d)
            return (
              <button
                key={d}
                type="button"
                aria-pressed={on}
                aria-label={long[i]}
                onClick={() => setRepeat({ byDay: on ? r.byDay.filter((x) => x !== d) : [...r.byDay, d] })}
                className={cn(
                  'h-8 min-w-10 rounded-md border px-2 text-xs font-medium transition-colors',
                  on ? 'border-primary bg-primary text-primary-foreground' : 'bg-card text-muted-foreground hover:bg-accent',
                )}
              >
                {short[i]}
              </button>
            )
          })}
        </div>
      )}
      {r.freq && !form.customRule && (
        <div className="flex flex-wrap items-center gap-2">
          <NativeSelect
            aria-label={t('calendar.repeat.ends')}
            value={r.end}
            onChange={(e) => setRepeat({ end: e.target.value as RepeatEnd })}
            className="h-8 text-[13px]"
          >
            <option value="never">{t('calendar.repeat.never')}</option>
            <option value="until">{t('calendar.repeat.until')}</option>
            <option value="count">{t('calendar.repeat.count')}</option>
          </NativeSelect>
          {r.end === 'until' && (
            <Input
              type="date"
              aria-label={t('calendar.repeat.untilDate')}
              value={r.until}
              min={form.startDate}
              onChange={(e) => setRepeat({ until: e.target.value })}
              className="h-8 w-40 text-[13px]"
            />
          )}
          {r.end === 'count' && (
            <label className="flex items-center gap-1.5 text-[13px] text-muted-foreground">
              <Input
                type="number"
                min={1}
                max={999}
                value={r.count}
                onChange={(e) => setRepeat({ count: Math.max(1, Number(e.target.value) || 1) })}
                className="h-8 w-20 text-[13px]"
                aria-label={t('calendar.repeat.countLabel')}
              />
              {t('calendar.repeat.times', { count: r.count })}
            </label>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** "10 minutes before", "1 hour before", "2 days before", "At the start". */
export function reminderLabel(t: (k: string, o?: Record<string, unknown>) => string, minutes: number): string {
  if (minutes === 0) return t('calendar.reminders.atStart')
  if (minutes % 10080 === 0) return t('calendar.reminders.weeks', { count: minutes / 10080 })
  if (minutes % 1440 === 0) return t('calendar.reminders.days', { count: minutes / 1440 })
  if (minutes % 60 === 0) return t('calendar.reminders.hours', { count: minutes / 60 })
  return t('calendar.reminders.minutes', { count: minutes })
}

function ReminderFields({ value, onChange, error }: { value: number[]; onChange: (v: number[]) => void; error?: string }) {
  const { t } = useTranslation()
  const tt = (k: string, o?: Record<string, unknown>) => t(k, o) as string
  const choices = (current: number) => [...new Set([...REMINDER_CHOICES, current])].sort((a, b) => a - b)
  return (
    <div className="grid gap-2">
      <Label className="flex items-center gap-1.5">
        <Bell className="size-3.5 text-muted-foreground" aria-hidden />
        {t('calendar.fields.reminders')}
      </Label>
      {value.length === 0 && <p className="text-xs text-muted-foreground">{t('calendar.reminders.none')}</p>}
      <ul className="grid gap-1.5" data-testid="reminders">
        {value.map((m, i) => (
          <li key={i} className="flex items-center gap-1.5">
            <NativeSelect
              aria-label={t('calendar.reminders.nth', { n: i + 1 })}
              value={m}
              onChange={(e) => onChange(value.map((x, j) => (j === i ? Number(e.target.value) : x)))}
              className="h-8 flex-1 text-[13px] sm:max-w-64"
            >
              {choices(m).map((c) => (
                <option key={c} value={c}>
                  {reminderLabel(tt, c)}
                </option>
              ))}
            </NativeSelect>
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              aria-label={t('calendar.reminders.remove', { n: i + 1 })}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              <X />
            </Button>
          </li>
        ))}
      </ul>
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="w-fit"
        onClick={() => onChange([...value, REMINDER_CHOICES.find((c) => !value.includes(c) && c >= 10) ?? 30])}
      >
        <Plus />
        {t('calendar.reminders.add')}
      </Button>
      {error && (
        <p role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  )
}

function AttendeeFields({ value, onChange, error }: { value: AttendeeRef[]; onChange: (v: AttendeeRef[]) => void; error?: string }) {
  const { t } = useTranslation()
  const members = useMembers().data ?? []
  const add = (a: AttendeeRef) => {
    if (!value.some((v) => sameAttendee(v, a))) onChange([...value, a])
  }
  const remove = (a: AttendeeRef) => onChange(value.filter((v) => !sameAttendee(v, a)))
  const available = members.filter((m) => !value.some((v) => v.user_id === m.user_id))
  return (
    <div className="grid gap-2">
      <Label className="flex items-center gap-1.5">
        <Users className="size-3.5 text-muted-foreground" aria-hidden />
        {t('calendar.fields.attendees')}
      </Label>
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" data-testid="attendees">
          {value.map((a) => (
            <AttendeeChip key={a.user_id ?? a.contact_id ?? a.email ?? ''} a={a} onRemove={() => remove(a)} />
          ))}
        </ul>
      )}
      <div className="grid gap-2 sm:grid-cols-2">
        <NativeSelect
          aria-label={t('calendar.attendees.addMember')}
          value=""
          onChange={(e) => e.target.value && add({ user_id: e.target.value })}
          className="h-9 text-[13px]"
        >
          <option value="">{t('calendar.attendees.addMember')}</option>
          {available.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.name}
            </option>
          ))}
        </NativeSelect>
        <RecordPicker
          kind="contacts"
          value=""
          clearable={false}
          placeholder={t('calendar.attendees.addContact')}
          aria-label={t('calendar.attendees.addContact')}
          onChange={(id) => id && add({ contact_id: id })}
        />
      </div>
      {error && (
        <p role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  )
}

function AttendeeChip({ a, onRemove }: { a: AttendeeRef; onRemove: () => void }) {
  const { t } = useTranslation()
  const members = useMemberMap()
  const contact = useRecordName('contacts', a.contact_id ?? null).data
  const name = a.user_id ? (members.get(a.user_id)?.name ?? '…') : a.contact_id ? (contact?.name ?? '…') : (a.name ?? a.email ?? '')
  return (
    <li className="flex items-center gap-1.5 rounded-full border bg-card py-0.5 pl-0.5 pr-1 text-[13px]">
      <Avatar name={name} className="size-5 text-[9px]" />
      <span className="max-w-40 truncate">{name}</span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={t('calendar.attendees.remove', { name })}
        className="rounded-full p-0.5 text-muted-foreground hover:bg-accent hover:text-foreground"
      >
        <X className="size-3" />
      </button>
    </li>
  )
}

/** The place of an event, for lists (agenda, tooltips). */
export function LocationLine({ location }: { location?: string | null }) {
  if (!location) return null
  return (
    <span className="flex min-w-0 items-center gap-1 text-xs text-muted-foreground">
      <MapPin className="size-3 shrink-0" aria-hidden />
      <span className="truncate">{location}</span>
    </span>
  )
}
