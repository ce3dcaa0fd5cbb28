import { useEffect, useState } from 'react'
import { useLocation } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Bug, HelpCircle, Lightbulb, Loader2, MessageCircle, Send } from 'lucide-react'
import { api } from '@/api/client'
import { ApiError, type Problem } from '@/api/problem'
import { fieldErrors } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Checkbox } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Textarea } from '@/components/ui/input'
import { cn } from '@/lib/utils'
import { captureScreen, NO_SCREENSHOT } from './screenshot'
import { closeFeedback } from './feedbackStore'

const CATEGORIES = [
  { value: 'bug', icon: Bug },
  { value: 'idea', icon: Lightbulb },
  { value: 'question', icon: HelpCircle },
  { value: 'other', icon: MessageCircle },
] as const

declare const __APP_VERSION__: string

/**
 * "Send feedback": what happened, its category, and (unless unticked) a
 * screenshot of the page as it was when the form opened, taken in the
 * browser. Stored with the page and app version for the organization's admins.
 */
export default function FeedbackDialog() {
  const { t } = useTranslation()
  const location = useLocation()
  // The page it is about: where the user was when they opened the form.
  const [page] = useState(() => `${location.pathname}${location.search}`)
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]['value']>('bug')
  const [message, setMessage] = useState('')
  const [withShot, setWithShot] = useState(true)
  const [shot, setShot] = useState<string | null>(null)
  const [shotState, setShotState] = useState<'taking' | 'ready' | 'failed'>('taking')
  const [sending, setSending] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)

  // Taken at once, before anything is typed: the page as the user saw it (without this form).
  useEffect(() => {
    let live = true
    captureScreen()
      .then((url) => {
        if (!live) return
        setShot(url)
        setShotState(url ? 'ready' : 'failed')
      })
      .catch(() => live && setShotState('failed'))
    return () => {
      live = false
    }
  }, [])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setFormError(null)
    if (!message.trim()) {
      setErrors({ message: t('feedback.messageRequired') })
      return
    }
    setErrors({})
    setSending(true)
    try {
      const res = await api.POST('/api/v1/feedback', {
        body: {
          category,
          message: message.trim(),
          page,
          app_version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : null,
          screenshot: withShot && shot ? shot : null,
        },
      })
      if (res.response.status === 429) {
        const wait = Number(res.response.headers.get('retry-after') ?? '60')
        const minutes = Math.max(1, Math.ceil(wait / 60))
        setFormError(t('feedback.tooMany', { count: minutes, minutes }))
        return
      }
      if (!res.response.ok) throw new ApiError(res.response.status, (res.error as Problem) ?? null)
      toast.success(t('feedback.sent'))
      closeFeedback()
    } catch (err) {
      const mapped = fieldErrors(err, ['message', 'category', 'screenshot'])
      setErrors(mapped.fields)
      setFormError(mapped.form)
    } finally {
      setSending(false)
    }
  }

  return (
    <Dialog open onOpenChange={(o) => !o && closeFeedback()}>
      <DialogContent className="max-w-xl" data-testid="feedback-dialog" {...{ [NO_SCREENSHOT]: '' }}>
        <DialogHeader>
          <DialogTitle>{t('feedback.title')}</DialogTitle>
          <DialogDescription>{t('feedback.body')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormError message={formError} />
          <div role="radiogroup" aria-label={t('feedback.category')} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {CATEGORIES.map(({ value, icon: Icon }) => (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={category === value}
                onClick={() => setCategory(value)}
                className={cn(
                  'flex items-center justify-center gap-1.5 rounded-md border px-2 py-2 text-[13px] font-medium text-muted-foreground hover:bg-accent',
                  category === value && 'border-primary bg-primary/10 text-foreground',
                )}
              >
                <Icon className="size-4" />
                {t(`feedback.categories.${value}`)}
              </button>
            ))}
          </div>
          <Field label={t('feedback.message')} error={errors.message}>
            <Textarea
              autoFocus
              rows={5}
              value={message}
              maxLength={5000}
              onChange={(e) => setMessage(e.target.value)}
              placeholder={t(`feedback.placeholders.${category}`)}
            />
          </Field>
          <div className="flex items-start gap-3">
            <Checkbox
              label={t('feedback.includeScreenshot')}
              description={
                shotState === 'taking' ? t('feedback.taking') : shotState === 'failed' ? t('feedback.shotFailed') : t('feedback.shotHint')
              }
              checked={withShot && shotState !== 'failed'}
              disabled={shotState === 'failed'}
              onChange={(e) => setWithShot(e.target.checked)}
              className="flex-1"
            />
            {shotState === 'taking' && <Loader2 className="size-4 animate-spin text-muted-foreground" />}
            {shot && withShot && (
              <img
                src={shot}
                alt={t('feedback.preview')}
                className="h-16 w-28 shrink-0 rounded border object-cover object-top"
                data-testid="feedback-shot"
              />
            )}
          </div>
          <p className="text-xs text-muted-foreground">{t('feedback.pageNote', { page })}</p>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={closeFeedback}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={sending || (withShot && shotState === 'taking')} data-testid="feedback-send">
              {sending ? <Loader2 className="animate-spin" /> : <Send />}
              {t('feedback.submit')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
