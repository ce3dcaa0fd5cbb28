import { useState } from 'react'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ArrowRightLeft, Loader2, Send } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors } from '@/api/errors'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useMemberMap } from '@/api/hooks/orgs'
import type { TimelineItem } from '@/api/types'
import { CHANNELS, ChannelIcon } from '@/components/ChannelIcon'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect, Textarea } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/misc'
import { formatDate, relativeTime } from '@/lib/format'
import { cn } from '@/lib/utils'

const FILTERS = ['all', ...CHANNELS, 'activity'] as const
const LOGGABLE = ['call', 'email', 'meeting', 'note', 'whatsapp', 'sms'] as const
// The three endpoints answer the same page shape.
const TIMELINE_PATHS = {
  lead: '/api/v1/leads/{id}/timeline',
  contact: '/api/v1/contacts/{id}/timeline',
  company: '/api/v1/companies/{id}/timeline',
} as const

/** Whose timeline: a lead's (with its contact), a contact's own, or a company's (its contacts and leads). */
export interface TimelineTarget {
  kind: 'lead' | 'contact' | 'company'
  id: string
  /** The lead's contact, so logged conversations also show on the contact. */
  contactId?: string | null
  /** Who inbound messages are from (the contact, not the member who logged them). */
  contactName?: string | null
}

/** Activity kinds of comments: a page that shows its comments in their own card leaves these out. */
const COMMENT_KINDS = /^comment_/

export function Timeline({ target, hideComments }: { target: TimelineTarget; hideComments?: boolean }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all')

  const feed = useInfiniteQuery({
    queryKey: [org, 'timeline', target.id, filter],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET(TIMELINE_PATHS[target.kind] as '/api/v1/leads/{id}/timeline', {
          params: {
            path: { id: target.id },
            query: { limit: 50, ...(filter !== 'all' ? { channel: filter } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
  })
  const items = (feed.data?.pages.flatMap((p) => p.data) ?? []).filter(
    (item) => !(hideComments && item.item_type !== 'communication' && COMMENT_KINDS.test(item.kind ?? '')),
  )

  return (
    <section aria-labelledby="timeline-title" className="flex flex-col gap-4" data-testid="timeline-section">
      {target.kind !== 'company' && <Composer target={target} />}
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="timeline-title" className="mr-2 text-sm font-semibold">
          {t('timeline.title')}
        </h2>
        <div role="tablist" aria-label={t('timeline.filter')} className="flex flex-wrap gap-1">
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              role="tab"
              aria-selected={filter === f}
              onClick={() => setFilter(f)}
              className={cn(
                'flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium text-muted-foreground hover:bg-accent',
                filter === f && 'border-foreground/20 bg-accent text-foreground',
              )}
            >
              {f !== 'all' && f !== 'activity' && <ChannelIcon channel={f} />}
              {t(f === 'all' ? 'timeline.all' : f === 'activity' ? 'timeline.activity' : `channels.${f}`)}
            </button>
          ))}
        </div>
      </div>
      {target.kind === 'company' && <p className="-mt-2 text-[13px] text-muted-foreground">{t('timeline.companyHint')}</p>}
      {feed.isPending ? (
        <div className="space-y-3">
          <Skeleton className="h-16 w-full" />
          <Skeleton className="h-16 w-full" />
        </div>
      ) : items.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">{t('timeline.empty')}</p>
      ) : (
        <ol className="relative ml-3 border-l pl-6" data-testid="timeline">
          {items.map((item) => (
            <TimelineEntry key={`${item.item_type}-${item.id}`} item={item} from={target.contactName} />
          ))}
        </ol>
      )}
      {feed.hasNextPage && (
        <Button variant="ghost" size="sm" onClick={() => feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
          {feed.isFetchingNextPage && <Loader2 className="animate-spin" />}
          {t('timeline.older')}
        </Button>
      )}
    </section>
  )
}

function TimelineEntry({ item, from }: { item: TimelineItem; from?: string | null }) {
  const { t, i18n } = useTranslation()
  const members = useMemberMap()
  const actor = item.actor_id ? members.get(item.actor_id)?.name : undefined
  const data = (item.data ?? {}) as Record<string, unknown>
  const isComm = item.item_type === 'communication'
  // An inbound message is the contact's words: credited to them, with who logged it apart.
  const inbound = isComm && item.direction === 'inbound'
  return (
    <li className="mb-5 last:mb-0">
      <span className="absolute -left-3 flex size-6 items-center justify-center rounded-full border bg-card text-muted-foreground">
        {isComm ? <ChannelIcon channel={item.channel} /> : <ArrowRightLeft className="size-3.5" />}
      </span>
      {isComm ? (
        <div className="rounded-lg border bg-card p-3 shadow-xs">
          <div className="flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
            <span className="font-medium text-foreground">{t(`channels.${item.channel}`, { defaultValue: item.channel ?? '' })}</span>
            {item.direction && <span>· {t(`timeline.direction.${item.direction}`, { defaultValue: item.direction })}</span>}
            {inbound ? (
              <>
                <span className="font-medium text-foreground" data-testid="timeline-from">
                  · {t('deal.from', { name: from || t('deal.theContact') })}
                </span>
                {actor && <span>· {t('deal.loggedBy', { name: actor })}</span>}
              </>
            ) : (
              actor && <span>· {actor}</span>
            )}
            <time className="ml-auto" dateTime={item.at} title={formatDate(item.at, i18n.language, true)}>
              {relativeTime(item.at, i18n.language)}
            </time>
          </div>
          {item.subject && <p className="mt-1.5 text-[13px] font-medium">{item.subject}</p>}
          {item.content && <p className="mt-1 whitespace-pre-wrap text-[13px] text-foreground/90">{item.content}</p>}
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-x-1.5 pt-0.5 text-[13px] text-muted-foreground">
          {item.kind === 'stage_changed' ? (
            <span>
              {t('timeline.stageChanged', {
                actor: actor ?? t('timeline.someone'),
                from: String(data.from_stage ?? ''),
                to: String(data.to_stage ?? ''),
              })}
            </span>
          ) : (
            <span>
              {t(`timeline.kinds.${item.kind}`, { defaultValue: item.kind ?? '' })}
              {actor && <> · {actor}</>}
              {typeof (data.excerpt ?? data.name) === 'string' && (
                <span className="text-foreground/80"> — “{String(data.excerpt ?? data.name)}”</span>
              )}
            </span>
          )}
          <time className="text-xs" dateTime={item.at} title={formatDate(item.at, i18n.language, true)}>
            · {relativeTime(item.at, i18n.language)}
          </time>
        </div>
      )}
    </li>
  )
}

/** Logs a call, email, meeting or note on the lead or contact (POST /communications). */
function Composer({ target }: { target: TimelineTarget }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const [channel, setChannel] = useState<(typeof LOGGABLE)[number]>('call')
  const [direction, setDirection] = useState('outbound')
  const [subject, setSubject] = useState('')
  const [content, setContent] = useState('')
  const [error, setError] = useState<string | null>(null)

  const log = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/communications', {
          body: {
            channel,
            lead_id: target.kind === 'lead' ? target.id : null,
            contact_id: target.kind === 'contact' ? target.id : (target.contactId ?? null),
            direction: channel === 'note' ? null : direction,
            subject: subject.trim() || null,
            content: content.trim() || null,
          },
        }),
      ),
    onSuccess: () => {
      setSubject('')
      setContent('')
      setError(null)
      toast.success(t('timeline.logged'))
      void qc.invalidateQueries({ queryKey: [org, 'timeline'] })
      void qc.invalidateQueries({ queryKey: [org, target.kind, target.id] })
    },
    onError: (e) => setError(fieldErrors(e, []).form),
  })

  return (
    <form
      className="rounded-lg border bg-card p-3 shadow-xs"
      onSubmit={(e) => {
        e.preventDefault()
        if (!content.trim() && !subject.trim()) {
          setError(t('timeline.writeSomething'))
          return
        }
        log.mutate()
      }}
    >
      <div role="radiogroup" aria-label={t('timeline.channel')} className="mb-2 flex flex-wrap gap-1">
        {LOGGABLE.map((c) => (
          <button
            key={c}
            type="button"
            role="radio"
            aria-checked={channel === c}
            onClick={() => setChannel(c)}
            className={cn(
              'flex h-7 items-center gap-1.5 rounded-md px-2 text-xs font-medium text-muted-foreground hover:bg-accent',
              channel === c && 'bg-accent text-foreground',
            )}
          >
            <ChannelIcon channel={c} />
            {t(`channels.${c}`)}
          </button>
        ))}
        {channel !== 'note' && (
          <NativeSelect
            aria-label={t('timeline.directionLabel')}
            value={direction}
            onChange={(e) => setDirection(e.target.value)}
            className="ml-auto h-7 text-xs"
          >
            <option value="outbound">{t('timeline.direction.outbound')}</option>
            <option value="inbound">{t('timeline.direction.inbound')}</option>
          </NativeSelect>
        )}
      </div>
      {(channel === 'email' || channel === 'meeting') && (
        <Input
          aria-label={t('timeline.subject')}
          placeholder={t('timeline.subject')}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          className="mb-2 h-8 text-[13px]"
        />
      )}
      <Textarea
        aria-label={t('timeline.content')}
        placeholder={t(`timeline.placeholder.${channel}`)}
        value={content}
        onChange={(e) => setContent(e.target.value)}
        className="border-0 bg-transparent px-0 shadow-none focus-visible:outline-none"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) (e.currentTarget.form as HTMLFormElement).requestSubmit()
        }}
      />
      <div className="mt-2 flex items-center gap-2">
        {error && (
          <p role="alert" className="text-xs text-destructive">
            {error}
          </p>
        )}
        <Button type="submit" size="sm" className="ml-auto" disabled={log.isPending} data-testid="log-activity">
          {log.isPending ? <Loader2 className="animate-spin" /> : <Send />}
          {t('timeline.log')}
        </Button>
      </div>
    </form>
  )
}
