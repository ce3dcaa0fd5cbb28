import { useState } from 'react'
import * as Popover from '@radix-ui/react-popover'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { AlarmClock, Bell, Check, CheckCheck, Loader2 } from 'lucide-react'
import { useMarkRead, useNotifications, useUnreadCount, type Notification } from '@/api/hooks/notifications'
import { useMemberMap } from '@/api/hooks/orgs'
import { useRecordName, type RecordKind } from '@/api/hooks/recordNames'
import { Button } from '@/components/ui/button'
import { Avatar, Skeleton } from '@/components/ui/misc'
import { relativeTime } from '@/lib/format'
import { notificationHref } from '@/lib/recordLinks'
import { cn } from '@/lib/utils'

/** The top bar's bell: how many notifications are unread, and the latest ones in a popover. */
export function NotificationBell() {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const unread = useUnreadCount().data ?? 0
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button variant="ghost" size="icon-sm" className="relative" aria-label={label} data-testid="notification-bell">
          <Bell />
          {unread > 0 && (
            <span
              className="absolute right-0.5 top-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-primary px-1 text-[10px] font-semibold leading-none text-primary-foreground"
              data-testid="unread-count"
              aria-hidden
            >
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          collisionPadding={8}
          className="z-50 w-[min(24rem,calc(100vw-1rem))] overflow-hidden rounded-lg border bg-popover text-popover-foreground shadow-lg"
          data-testid="notifications"
        >
          <NotificationList unread={unread} onNavigate={() => setOpen(false)} />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

function NotificationList({ unread, onNavigate }: { unread: number; onNavigate: () => void }) {
  const { t } = useTranslation()
  const list = useNotifications(true)
  const mark = useMarkRead()
  return (
    <>
      <div className="flex items-center gap-2 border-b px-3 py-2">
        <h2 className="text-sm font-semibold">{t('notifications.title')}</h2>
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto h-7 px-2 text-xs"
          disabled={unread === 0 || mark.all.isPending}
          onClick={() => mark.all.mutate()}
        >
          {mark.all.isPending ? <Loader2 className="animate-spin" /> : <CheckCheck />}
          {t('notifications.markAll')}
        </Button>
      </div>
      <div className="max-h-[min(28rem,70vh)] overflow-y-auto">
        {list.isPending ? (
          <div className="space-y-2 p-3">
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
          </div>
        ) : !list.data?.length ? (
          <div className="flex flex-col items-center gap-2 px-6 py-10 text-center text-sm text-muted-foreground">
            <Bell className="size-6" />
            {t('notifications.empty')}
          </div>
        ) : (
          <ul className="divide-y">
            {list.data.map((n) => (
              <NotificationItem key={n.id} n={n} onOpen={onNavigate} onRead={() => mark.one.mutate(n.id)} />
            ))}
          </ul>
        )}
      </div>
    </>
  )
}

const RECORD_KINDS: Record<string, RecordKind> = { lead: 'leads', contact: 'contacts', company: 'companies', project: 'projects' }

function NotificationItem({ n, onOpen, onRead }: { n: Notification; onOpen: () => void; onRead: () => void }) {
  const { t, i18n } = useTranslation()
  const members = useMemberMap()
  const data = (n.data ?? {}) as Record<string, unknown>
  const who = members.get(String(data.author_id ?? data.shared_by ?? ''))?.name
  const record = useRecordName(RECORD_KINDS[n.entity_type ?? ''] ?? 'leads', RECORD_KINDS[n.entity_type ?? ''] ? n.entity_id : null).data
  const title =
    who && record && (n.kind === 'mention' || n.kind === 'share')
      ? t(`notifications.kinds.${n.kind}`, { name: who, record: record.name })
      : n.title
  const excerpt = typeof data.excerpt === 'string' ? data.excerpt : null
  const href = notificationHref(n)
  const unread = !n.read_at
  const body = (
    <>
      {n.kind === 'reminder' ? (
        <span className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full bg-primary/10 text-primary" aria-hidden>
          <AlarmClock className="size-3.5" />
        </span>
      ) : (
        <Avatar name={who ?? '?'} className="mt-0.5" />
      )}
      <span className="min-w-0 flex-1">
        <span className={cn('block text-[13px] leading-snug', unread ? 'font-medium' : 'text-muted-foreground')}>{title}</span>
        {excerpt && <span className="mt-0.5 line-clamp-2 block text-xs text-muted-foreground">“{excerpt}”</span>}
        <time className="mt-0.5 block text-[11px] text-muted-foreground" dateTime={n.created_at}>
          {relativeTime(n.created_at, i18n.language)}
        </time>
      </span>
    </>
  )
  return (
    <li className={cn('group relative flex items-start', unread && 'bg-primary/5')} data-testid="notification" data-read={!unread}>
      {href ? (
        <Link
          to={href}
          onClick={() => {
            if (unread) onRead()
            onOpen()
          }}
          className="flex min-w-0 flex-1 items-start gap-2.5 px-3 py-2.5 pr-10 hover:bg-accent focus-visible:bg-accent focus-visible:outline-none"
        >
          {body}
        </Link>
      ) : (
        <div className="flex min-w-0 flex-1 items-start gap-2.5 px-3 py-2.5 pr-10">{body}</div>
      )}
      {unread && (
        <button
          type="button"
          onClick={onRead}
          aria-label={t('notifications.markRead', { title })}
          title={t('notifications.markReadShort')}
          className="absolute right-2 top-2.5 flex size-6 items-center justify-center rounded-md text-muted-foreground hover:bg-background hover:text-foreground"
        >
          <span className="size-2 rounded-full bg-primary group-hover:hidden group-focus-within:hidden" aria-hidden />
          <Check className="hidden size-3.5 group-hover:block group-focus-within:block" />
        </button>
      )}
    </li>
  )
}
