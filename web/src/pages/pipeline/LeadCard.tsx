import { memo } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useTranslation } from 'react-i18next'
import { AlarmClock, Building2, CalendarClock, ThumbsDown, Trophy } from 'lucide-react'
import type { Card, Lead, Member } from '@/api/types'
import { ChannelIcon } from '@/components/ChannelIcon'
import { Avatar } from '@/components/ui/misc'
import { displayTimeZoneOf, formatDate, formatMoney, relativeTime } from '@/lib/format'
import { formatDue } from '@/lib/dueText'
import { hasDueTime } from '@/api/hooks/tasks'
import { cn } from '@/lib/utils'

interface CardProps {
  lead: Lead & Partial<Pick<Card, 'next_task'>>
  assignee?: Member
  overlay?: boolean
  dragging?: boolean
}

/** The face of a card: title, company, value, tags, assignee, last contact. */
export const LeadCardBody = memo(function LeadCardBody({ lead, assignee, overlay, dragging }: CardProps) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  return (
    <div
      className={cn(
        'group rounded-lg border bg-card p-3 text-left shadow-xs transition-shadow hover:border-foreground/15 hover:shadow-sm',
        overlay && 'rotate-[1.5deg] cursor-grabbing shadow-xl ring-1 ring-primary/30',
        dragging && 'opacity-40',
      )}
    >
      <div className="flex items-start gap-2">
        <Link
          to={`/leads/${lead.id}`}
          className="line-clamp-2 min-w-0 flex-1 text-[13px] font-medium leading-snug hover:underline"
          onClick={(e) => e.stopPropagation()}
          draggable={false}
        >
          {lead.title || t('leads.untitled')}
        </Link>
        {assignee && <Avatar name={assignee.name} title={t('leads.assignedTo', { name: assignee.name })} />}
      </div>
      {lead.company_name && (
        <div className="mt-1 flex items-center gap-1.5 truncate text-xs text-muted-foreground">
          <Building2 className="size-3 shrink-0" aria-hidden />
          <span className="truncate">{lead.company_name}</span>
        </div>
      )}
      {lead.status !== 'open' && (
        <div className="mt-1.5">
          {lead.status === 'won' ? (
            <span
              className="inline-flex items-center gap-1 rounded-full bg-success/10 px-1.5 py-px text-[10px] font-semibold text-success"
              data-testid="card-won"
            >
              <Trophy className="size-2.5" aria-hidden />
              {t('leads.status.won')}
            </span>
          ) : (
            <span
              className="inline-flex items-center gap-1 rounded-full bg-destructive/10 px-1.5 py-px text-[10px] font-semibold text-destructive"
              data-testid="card-lost"
            >
              <ThumbsDown className="size-2.5" aria-hidden />
              {t('leads.status.lost')}
            </span>
          )}
        </div>
      )}
      {lead.tags.length > 0 && (
        <div className="mt-2 flex flex-wrap gap-1">
          {lead.tags.slice(0, 3).map((tag) => (
            <span key={tag} className="rounded bg-secondary px-1.5 py-px text-[10px] font-medium text-secondary-foreground">
              {tag}
            </span>
          ))}
          {lead.tags.length > 3 && <span className="text-[10px] text-muted-foreground">+{lead.tags.length - 3}</span>}
        </div>
      )}
      {lead.next_task && <NextTaskLine task={lead.next_task} />}
      <div className="mt-2.5 flex items-center gap-2 text-xs">
        <span className="font-semibold tabular-nums">
          {lead.estimated_value != null ? (
            formatMoney(lead.estimated_value, lead.currency, lang)
          ) : (
            <span className="font-normal text-muted-foreground">—</span>
          )}
        </span>
        {lead.last_contact_at && (
          <span
            className="ml-auto flex items-center gap-1 text-muted-foreground"
            title={t(`channels.${lead.last_contact_channel ?? 'note'}`, { defaultValue: lead.last_contact_channel ?? '' })}
          >
            <ChannelIcon channel={lead.last_contact_channel} />
            {relativeTime(lead.last_contact_at, lang)}
          </span>
        )}
      </div>
    </div>
  )
})

/** The lead's next open task: what and when, red with a mark once it is overdue. */
function NextTaskLine({ task }: { task: NonNullable<Card['next_task']> }) {
  const { t, i18n } = useTranslation()
  const when = task.due_date ? formatDue(task.due_date, i18n.language, new Date(), displayTimeZoneOf()) : null
  const Icon = task.overdue ? AlarmClock : CalendarClock
  return (
    <div
      className={cn(
        'mt-2 flex min-w-0 items-center gap-1.5 text-xs',
        task.overdue ? 'font-medium text-destructive' : 'text-muted-foreground',
      )}
      data-testid="next-task"
      data-overdue={task.overdue}
      title={task.overdue ? t('boardFilters.overdueTask', { name: task.name }) : t('boardFilters.nextTask', { name: task.name })}
    >
      <Icon className="size-3 shrink-0" aria-hidden />
      <span className="min-w-0 truncate">{task.name}</span>
      {when && (
        <span
          className="ml-auto shrink-0 tabular-nums"
          title={task.due_date ? formatDate(task.due_date, i18n.language, hasDueTime(task.due_date)) : undefined}
        >
          {task.overdue ? t('boardFilters.overdue') : when}
        </span>
      )}
    </div>
  )
}

/** A card the board can drag (pointer or keyboard: Space to lift, arrows to move). */
export function SortableLeadCard({ lead, assignee, style: extra }: CardProps & { style?: React.CSSProperties }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: lead.id,
    data: { type: 'lead' },
  })
  return (
    <div
      ref={setNodeRef}
      style={{ ...extra, transform: CSS.Translate.toString(transform), transition }}
      {...attributes}
      {...listeners}
      aria-roledescription={t('pipeline.card')}
      data-testid="lead-card"
      data-lead-id={lead.id}
      // A click that did not become a drag opens the lead, like Pipedrive's cards.
      onClick={() => navigate(`/leads/${lead.id}`)}
      // Not selectable: a press that moves is a drag, never a text selection.
      className="cursor-pointer touch-manipulation select-none rounded-lg outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <LeadCardBody lead={lead} assignee={assignee} dragging={isDragging} />
    </div>
  )
}
