import { useTranslation } from 'react-i18next'
import { Bell, BellOff, Loader2, X } from 'lucide-react'
import { useMemberMap, useOrganizations } from '@/api/hooks/orgs'
import { useLeadFollowers, useSetFollower } from '@/api/hooks/followers'
import { useSession, useCurrentOrgId } from '@/api/hooks/session'
import type { Lead } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Avatar, Card } from '@/components/ui/misc'
import { NativeSelect } from '@/components/ui/input'

/**
 * The lead's followers: who hears about its moves, outcome and comments.
 * Anyone follows or stops following themselves; managers and the lead's
 * assignee also add and remove others (the server checks they can see it).
 */
export function LeadFollowers({ lead }: { lead: Lead }) {
  const { t } = useTranslation()
  const me = useSession()?.user.id
  const org = useCurrentOrgId()
  const role = useOrganizations().data?.find((o) => o.id === org)?.role
  const members = useMemberMap()
  const followers = useLeadFollowers(lead.id)
  const set = useSetFollower(lead.id)
  const list = followers.data ?? []
  const following = list.some((f) => f.user_id === me)
  const manages = role === 'owner' || role === 'admin' || role === 'manager' || (!!me && lead.assigned_to === me)
  const others = [...members.values()].filter((m) => m.user_id !== me && !list.some((f) => f.user_id === m.user_id))
  const busy = set.isPending

  return (
    <Card className="p-4" data-testid="lead-followers">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">
          {t('deal.followers')}
          {list.length > 0 && <span className="ml-1.5 text-xs font-normal text-muted-foreground tabular-nums">{list.length}</span>}
        </h2>
        {me && (
          <Button
            size="sm"
            variant={following ? 'outline' : 'secondary'}
            disabled={busy || followers.isPending}
            onClick={() => set.mutate({ userId: me, follow: !following })}
            data-testid="follow-toggle"
            aria-pressed={following}
          >
            {busy && set.variables?.userId === me ? <Loader2 className="animate-spin" /> : following ? <BellOff /> : <Bell />}
            {following ? t('deal.unfollow') : t('deal.follow')}
          </Button>
        )}
      </div>
      {list.length === 0 ? (
        <p className="text-xs text-muted-foreground">{t('deal.noFollowers')}</p>
      ) : (
        <ul className="flex flex-col gap-1">
          {list.map((f) => (
            <li key={f.user_id} className="flex min-w-0 items-center gap-2 text-sm" data-testid="follower" data-user-id={f.user_id}>
              <Avatar name={f.name} />
              <span className="min-w-0 flex-1 truncate">
                {f.name}
                {f.user_id === me && <span className="ml-1 text-xs text-muted-foreground">({t('deal.you')})</span>}
              </span>
              {manages && f.user_id !== me && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => set.mutate({ userId: f.user_id, follow: false })}
                  aria-label={t('deal.removeFollower', { name: f.name })}
                  className="rounded-full p-1 text-muted-foreground hover:bg-accent hover:text-foreground"
                >
                  <X className="size-3.5" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {manages && others.length > 0 && (
        <NativeSelect
          className="mt-3 w-full"
          value=""
          disabled={busy}
          aria-label={t('deal.addFollower')}
          data-testid="add-follower"
          onChange={(e) => e.target.value && set.mutate({ userId: e.target.value, follow: true })}
        >
          <option value="">{t('deal.addFollower')}</option>
          {others.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.name}
            </option>
          ))}
        </NativeSelect>
      )}
    </Card>
  )
}
