import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CheckCircle2, Loader2, TriangleAlert } from 'lucide-react'
import { api } from '@/api/client'
import { ApiError, type Problem } from '@/api/problem'
import { errorText } from '@/api/errors'
import { useMembers } from '@/api/hooks/orgs'
import type { RecordKind } from '@/api/hooks/recordNames'
import { Field, FormError } from '@/components/forms/Field'
import { RecordPicker } from '@/components/records/RecordPicker'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input, NativeSelect } from '@/components/ui/input'
import { bulkBody, chunks, mergeAnswers, summarizeBulk, type BulkAnswer, type BulkChange, type BulkSummary } from '@/lib/bulkEdit'
import type { BulkResource, BulkRow } from './bulk'

/** One thing a bulk edit can set, and how its value is asked for. */
export interface BulkField {
  key: string
  label: string
  input: 'member' | 'choice' | 'text' | 'number' | 'date' | 'record'
  options?: { value: string; label: string }[]
  record?: RecordKind
  /** Offer "none" (clearing the field). */
  clearable?: boolean
  change: (value: string) => BulkChange
}

type Sendable = Exclude<BulkResource, 'projects'>

/** Sends one change for every selected row (`POST /{list}/bulk`, 500 at a time). */
async function sendBulk(resource: Sendable, rows: BulkRow[], change: BulkChange): Promise<BulkAnswer> {
  const post = api.POST as unknown as (
    path: string,
    init: { body: unknown },
  ) => Promise<{ data?: BulkAnswer; error?: unknown; response: Response }>
  const answers: BulkAnswer[] = []
  for (const part of chunks(rows)) {
    const res = await post(`/api/v1/${resource}/bulk`, {
      body: { items: part.map((r) => ({ id: r.id, version: r.version })), ...bulkBody(change) },
    })
    if (!res.response.ok || !res.data) throw new ApiError(res.response.status, (res.error as Problem) ?? null)
    answers.push(res.data)
  }
  return mergeAnswers(answers)
}

/**
 * "Edit" on the selected rows: pick a field and a value, apply it to all of
 * them, then see what changed and every row that was refused, with why.
 */
export function BulkEditDialog({
  resource,
  rows: selected,
  names,
  fields,
  onClose,
}: {
  resource: Sendable
  rows: BulkRow[]
  names: Map<string, string>
  fields: BulkField[]
  /** `changed`: something was saved (the list reloads, the selection clears). */
  onClose: (changed: boolean) => void
}) {
  const { t } = useTranslation()
  const members = useMembers()
  // The rows as they were when the edit began: their versions are what the
  // user saw, so a teammate's change since is refused (412), not overwritten.
  const [rows] = useState(selected)
  const [key, setKey] = useState(fields[0]?.key ?? '')
  const [value, setValue] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [summary, setSummary] = useState<BulkSummary | null>(null)
  const field = fields.find((f) => f.key === key)

  const apply = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!field) return
    setBusy(true)
    setError(null)
    try {
      const answer = await sendBulk(resource, rows, field.change(value))
      setSummary(summarizeBulk(answer, names))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const input = () => {
    if (!field) return null
    switch (field.input) {
      case 'member':
        return (
          <NativeSelect value={value} onChange={(e) => setValue(e.target.value)} className="w-full" data-testid="bulk-value">
            <option value="">{t('bulk.nobody')}</option>
            {members.data?.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name}
              </option>
            ))}
          </NativeSelect>
        )
      case 'choice':
        return (
          <NativeSelect value={value} onChange={(e) => setValue(e.target.value)} className="w-full" data-testid="bulk-value">
            <option value="" disabled={!field.clearable}>
              {field.clearable ? t('common.none') : t('bulk.choose')}
            </option>
            {field.options?.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </NativeSelect>
        )
      case 'record':
        return <RecordPicker kind={field.record!} value={value} onChange={(id) => setValue(id)} />
      default:
        return (
          <Input
            type={field.input === 'number' ? 'number' : field.input === 'date' ? 'date' : 'text'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="bulk-value"
          />
        )
    }
  }

  const missing = !!field && !field.clearable && field.input !== 'member' && value === ''
  return (
    <Dialog open onOpenChange={(o) => !o && !busy && onClose(!!summary)}>
      <DialogContent className="max-w-lg" data-testid="bulk-edit-dialog">
        <DialogHeader>
          <DialogTitle>{t('bulk.title', { count: rows.length })}</DialogTitle>
          <DialogDescription>{t('bulk.help')}</DialogDescription>
        </DialogHeader>
        {summary ? (
          <div className="grid gap-3" data-testid="bulk-results">
            <p className="flex items-center gap-2 text-sm font-medium" data-testid="bulk-updated">
              <CheckCircle2 className="size-4 text-success" />
              {t('bulk.updated', { count: summary.updated })}
            </p>
            {summary.failed.length > 0 && (
              <div className="rounded-md border border-destructive/30 bg-destructive/5 p-3">
                <p className="flex items-center gap-2 text-[13px] font-medium text-destructive">
                  <TriangleAlert className="size-4" />
                  {t('bulk.failed', { count: summary.failed.length })}
                </p>
                <ul className="mt-2 max-h-56 space-y-1.5 overflow-y-auto text-[13px]" data-testid="bulk-failures">
                  {summary.failed.map((f) => (
                    <li key={f.id} className="grid gap-0.5" data-testid="bulk-failure">
                      <span className="font-medium">{f.name}</span>
                      <span className="text-xs text-muted-foreground">
                        {t(`bulk.reasons.${f.reason}`)}
                        {f.error && f.reason === 'invalid' && ` — ${errorText(new ApiError(f.status, f.error as Problem))}`}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <DialogFooter>
              <Button onClick={() => onClose(true)} data-testid="bulk-done">
                {t('common.close')}
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <form className="grid gap-4" onSubmit={apply}>
            <FormError message={error} />
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={t('bulk.field')}>
                <NativeSelect
                  value={key}
                  onChange={(e) => {
                    setKey(e.target.value)
                    setValue('')
                  }}
                  className="w-full"
                  data-testid="bulk-field"
                >
                  {fields.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.label}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <Field label={t('bulk.value')}>{input() ?? <span />}</Field>
            </div>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onClose(false)} disabled={busy}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={busy || !field || missing} data-testid="bulk-apply">
                {busy && <Loader2 className="animate-spin" />}
                {t('bulk.apply', { count: rows.length })}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}
