import { useEffect, useState } from 'react'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Bug, HelpCircle, ImageIcon, Lightbulb, Loader2, MessageCircle, MessageSquareWarning } from 'lucide-react'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { errorText } from '@/api/errors'
import { useMemberMap } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { components } from '@/api/schema'
import { SettingsPage } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Avatar, Badge, Card, Skeleton } from '@/components/ui/misc'
import { formatDate, relativeTime } from '@/lib/format'
import { browserName } from '@/lib/userAgent'

type Feedback = components['schemas']['Feedback']

const ICONS: Record<string, typeof Bug> = { bug: Bug, idea: Lightbulb, question: HelpCircle, other: MessageCircle }

/** What the organization's members sent with "Send feedback", newest first (owners and admins). */
export default function FeedbackAdminPage() {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const [shot, setShot] = useState<Feedback | null>(null)
  const list = useInfiniteQuery({
    queryKey: [org, 'feedback'],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/feedback', {
          params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } as { limit: number } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
    enabled: !!org,
  })
  const items = list.data?.pages.flatMap((p) => p.data) ?? []

  return (
    <SettingsPage title={t('feedback.adminTitle')} subtitle={t('feedback.adminSubtitle')} testId="feedback-admin">
      {list.isPending ? (
        <Skeleton className="h-64" />
      ) : list.isError ? (
        <p className="rounded-md border px-4 py-6 text-center text-sm text-muted-foreground" role="alert">
          {isApiError(list.error) && list.error.status === 403 ? t('feedback.adminOnly') : errorText(list.error)}
        </p>
      ) : items.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed px-6 py-14 text-center">
          <MessageSquareWarning className="size-8 text-muted-foreground" />
          <p className="font-medium">{t('feedback.adminEmptyTitle')}</p>
          <p className="max-w-sm text-sm text-muted-foreground">{t('feedback.adminEmptyBody')}</p>
        </div>
      ) : (
        <ul className="grid gap-3">
          {items.map((f) => (
            <FeedbackItem key={f.id} f={f} onShot={() => setShot(f)} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <Button variant="ghost" size="sm" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage && <Loader2 className="animate-spin" />}
          {t('timeline.older')}
        </Button>
      )}
      {shot && <ScreenshotDialog feedback={shot} onClose={() => setShot(null)} />}
    </SettingsPage>
  )
}

function FeedbackItem({ f, onShot }: { f: Feedback; onShot: () => void }) {
  const { t, i18n } = useTranslation()
  const members = useMemberMap()
  const who = f.user_id ? members.get(f.user_id)?.name : undefined
  const Icon = ICONS[f.category] ?? MessageCircle
  return (
    <li>
      <Card className="p-4" data-testid="feedback-item">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          <Badge className="gap-1 text-foreground">
            <Icon className="size-3" />
            {t(`feedback.categories.${f.category}`, { defaultValue: f.category })}
          </Badge>
          <Avatar name={who ?? '?'} className="size-5 text-[9px]" />
          <span className="font-medium text-foreground">{who ?? t('feedback.formerMember')}</span>
          <time dateTime={f.created_at} title={formatDate(f.created_at, i18n.language, true)}>
            {relativeTime(f.created_at, i18n.language)}
          </time>
          {f.has_screenshot && (
            <Button variant="outline" size="sm" className="ml-auto h-7" onClick={onShot} data-testid="feedback-view-shot">
              <ImageIcon />
              {t('feedback.viewScreenshot')}
            </Button>
          )}
        </div>
        <p className="mt-2 whitespace-pre-wrap break-words text-[13px]">{f.message}</p>
        <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
          {f.page && (
            <div className="flex min-w-0 gap-1">
              <dt>{t('feedback.page')}</dt>
              <dd className="min-w-0 truncate">
                <Link to={f.page} className="font-mono text-primary hover:underline">
                  {f.page}
                </Link>
              </dd>
            </div>
          )}
          {f.browser && (
            <div className="flex gap-1" title={f.browser}>
              <dt>{t('feedback.browser')}</dt>
              <dd>{browserName(f.browser)}</dd>
            </div>
          )}
          {f.app_version && (
            <div className="flex gap-1">
              <dt>{t('feedback.version')}</dt>
              <dd className="font-mono">{f.app_version}</dd>
            </div>
          )}
        </dl>
      </Card>
    </li>
  )
}

/** The screenshot is fetched with the session's headers and shown from an object URL. */
function ScreenshotDialog({ feedback, onClose }: { feedback: Feedback; onClose: () => void }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const image = useQuery({
    queryKey: [org, 'feedback-shot', feedback.id],
    queryFn: async () => {
      const res = await api.GET('/api/v1/feedback/{id}/screenshot', {
        params: { path: { id: feedback.id } },
        parseAs: 'blob',
      })
      return unwrap(res) as unknown as Blob
    },
    staleTime: Infinity,
  })
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!image.data) return
    const u = URL.createObjectURL(image.data)
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [image.data])
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-4xl" aria-describedby={undefined}>
        <DialogHeader>
          <DialogTitle>{t('feedback.screenshotOf', { page: feedback.page ?? '' })}</DialogTitle>
        </DialogHeader>
        {image.isError ? (
          <p className="text-sm text-destructive">{errorText(image.error)}</p>
        ) : url ? (
          <img
            src={url}
            alt={t('feedback.preview')}
            className="max-h-[70vh] w-full rounded border object-contain"
            data-testid="feedback-shot-full"
          />
        ) : (
          <Skeleton className="h-80" />
        )}
      </DialogContent>
    </Dialog>
  )
}
