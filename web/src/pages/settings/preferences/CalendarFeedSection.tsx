import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Check, Copy, Download, Link2, Loader2, RefreshCw, Trash2, Upload } from 'lucide-react'
import { errorText, toastError } from '@/api/errors'
import { exportIcs, useCalendarFeed, useCalendarFeedActions, useImportIcs, type ImportResult } from '@/api/hooks/calendar'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'

const DAY = 86_400_000

/** The private .ics feed URL (copy, rotate, revoke) and importing or exporting an .ics file. */
export function CalendarFeedSection() {
  const { t, i18n } = useTranslation()
  const feed = useCalendarFeed()
  const { rotate, revoke } = useCalendarFeedActions()
  const [copied, setCopied] = useState(false)
  const [asking, setAsking] = useState<'rotate' | 'revoke' | null>(null)
  const url = feed.data?.url ?? null
  // The server shows the link only when it makes one; afterwards it only says that one is active.
  const active = !!url || !!feed.data?.created_at
  const used = feed.data?.last_used_at
  const usage = used ? t('prefs.feed.lastUsed', { date: formatDate(used, i18n.language, true) }) : t('prefs.feed.neverUsed')
  const manage = (
    <div className="flex flex-wrap gap-2">
      <Button type="button" variant="outline" size="sm" disabled={rotate.isPending} onClick={() => setAsking('rotate')}>
        <RefreshCw />
        {t('prefs.feed.rotate')}
      </Button>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="text-destructive hover:text-destructive"
        onClick={() => setAsking('revoke')}
      >
        <Trash2 />
        {t('prefs.feed.revoke')}
      </Button>
    </div>
  )

  const copy = async () => {
    if (!url) return
    try {
      await navigator.clipboard.writeText(url)
    } catch {
      // Without clipboard access (an insecure origin), select the text for Ctrl-C.
      const input = document.getElementById('calendar-feed-url') as HTMLInputElement | null
      input?.select()
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }

  const doRotate = () =>
    rotate.mutate(undefined, {
      onSuccess: () => {
        setAsking(null)
        toast.success(t(url ? 'prefs.feed.rotated' : 'prefs.feed.created'))
      },
      onError: (e) => toastError(e, t('prefs.feed.failed')),
    })
  const doRevoke = () =>
    revoke.mutate(undefined, {
      onSuccess: () => {
        setAsking(null)
        toast.success(t('prefs.feed.revoked'))
      },
      onError: (e) => toastError(e, t('prefs.feed.failed')),
    })

  return (
    <Section title={t('prefs.feed.title')} description={t('prefs.feed.help')}>
      <div className="grid gap-5" data-testid="calendar-feed">
        {feed.isError ? (
          <p className="text-sm text-destructive">{errorText(feed.error)}</p>
        ) : feed.isPending ? (
          <Skeleton className="h-9" />
        ) : url ? (
          <div className="grid gap-2">
            <div className="flex gap-2">
              <Input
                id="calendar-feed-url"
                readOnly
                value={url}
                aria-label={t('prefs.feed.url')}
                onFocus={(e) => e.currentTarget.select()}
                className="font-mono text-xs"
                data-testid="calendar-feed-url"
              />
              <Button type="button" variant="outline" size="sm" className="h-9" onClick={() => void copy()}>
                {copied ? <Check /> : <Copy />}
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            </div>
            <p className="text-xs text-muted-foreground">
              {t('prefs.feed.shownOnce')} {t('prefs.feed.secret')}
            </p>
            {manage}
          </div>
        ) : active ? (
          <div className="grid gap-2" data-testid="calendar-feed-active">
            <p className="text-[13px]">
              {t('prefs.feed.active', { date: formatDate(feed.data!.created_at!, i18n.language, true) })}{' '}
              <span className="text-muted-foreground">{usage}</span>
            </p>
            <p className="text-xs text-muted-foreground">{t('prefs.feed.hidden')}</p>
            {manage}
          </div>
        ) : (
          <div className="flex flex-wrap items-center gap-3">
            <Button type="button" size="sm" disabled={rotate.isPending} onClick={doRotate} data-testid="create-calendar-feed">
              {rotate.isPending ? <Loader2 className="animate-spin" /> : <Link2 />}
              {t('prefs.feed.create')}
            </Button>
            <p className="text-xs text-muted-foreground">{t('prefs.feed.none')}</p>
          </div>
        )}
        <IcsFiles />
      </div>
      <ConfirmDialog
        open={asking !== null}
        onOpenChange={(o) => !o && setAsking(null)}
        title={t(asking === 'revoke' ? 'prefs.feed.revokeTitle' : 'prefs.feed.rotateTitle')}
        body={t(asking === 'revoke' ? 'prefs.feed.revokeBody' : 'prefs.feed.rotateBody')}
        confirmLabel={t(asking === 'revoke' ? 'prefs.feed.revoke' : 'prefs.feed.rotate')}
        busy={rotate.isPending || revoke.isPending}
        onConfirm={asking === 'revoke' ? doRevoke : doRotate}
      />
    </Section>
  )
}

function IcsFiles() {
  const { t } = useTranslation()
  const file = useRef<HTMLInputElement>(null)
  const importIcs = useImportIcs()
  const [result, setResult] = useState<ImportResult | null>(null)
  const [exporting, setExporting] = useState(false)

  const onFile = async (f: File | undefined) => {
    if (!f) return
    setResult(null)
    const text = await f.text()
    importIcs.mutate(text, {
      onSuccess: (r) => {
        setResult(r)
        toast.success(t('prefs.feed.imported', { count: r.created }))
      },
      onError: (e) => toastError(e, t('prefs.feed.importFailed')),
      onSettled: () => {
        if (file.current) file.current.value = ''
      },
    })
  }

  const download = async () => {
    setExporting(true)
    try {
      const now = Date.now()
      const text = await exportIcs(new Date(now - 365 * DAY).toISOString(), new Date(now + 365 * DAY).toISOString())
      const blob = new Blob([text], { type: 'text/calendar' })
      const a = document.createElement('a')
      a.href = URL.createObjectURL(blob)
      a.download = 'lovedcrm-calendar.ics'
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(a.href), 1000)
    } catch (e) {
      toastError(e, t('prefs.feed.exportFailed'))
    } finally {
      setExporting(false)
    }
  }

  return (
    <div className="grid gap-2 border-t pt-4">
      <div className="text-[13px] font-medium">{t('prefs.feed.files')}</div>
      <p className="text-xs text-muted-foreground">{t('prefs.feed.filesHelp')}</p>
      <div className="flex flex-wrap gap-2">
        <input
          ref={file}
          type="file"
          accept=".ics,text/calendar"
          className="sr-only"
          aria-label={t('prefs.feed.importFile')}
          data-testid="ics-file"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
        <Button type="button" variant="outline" size="sm" disabled={importIcs.isPending} onClick={() => file.current?.click()}>
          {importIcs.isPending ? <Loader2 className="animate-spin" /> : <Upload />}
          {t('prefs.feed.import')}
        </Button>
        <Button type="button" variant="outline" size="sm" disabled={exporting} onClick={() => void download()}>
          {exporting ? <Loader2 className="animate-spin" /> : <Download />}
          {t('prefs.feed.export')}
        </Button>
      </div>
      {result && (
        <div className="rounded-md border bg-muted/40 px-3 py-2 text-[13px]" role="status" data-testid="ics-import-result">
          {t('prefs.feed.importResult', { created: result.created, skipped: result.skipped })}
          {result.errors.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs text-destructive">
              {result.errors.slice(0, 10).map((e, i) => (
                <li key={i}>{t('prefs.feed.importLine', { line: e.index, message: e.message })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}
