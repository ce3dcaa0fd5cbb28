import { useEffect } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Trash2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useMembers, useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId, useSession } from '@/api/hooks/session'
import type { components } from '@/api/schema'
import { ConfirmButton } from '@/components/ui/confirm'
import { NativeSelect } from '@/components/ui/input'
import { Avatar, Card, Skeleton } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'
import { InviteDialog, PendingInvites } from './team/Invites'
import { PermissionMatrix } from './team/PermissionMatrix'
import { TransferOwnership } from './team/TransferOwnership'
import { toastError } from '@/api/errors'

type Role = components['schemas']['Role']
const ROLES: Role[] = ['owner', 'admin', 'manager', 'sales', 'viewer']

/** Members of the organization: add by email, change roles, remove (owners and admins). */
export default function TeamPage() {
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const session = useSession()
  const members = useMembers()
  const orgs = useOrganizations()
  const myRole = orgs.data?.find((o) => o.id === org)?.role
  const canManage = myRole === 'owner' || myRole === 'admin'

  useEffect(() => {
    document.title = `${t('settings.team')} · Loved CRM`
  }, [t])

  const refresh = () => qc.invalidateQueries({ queryKey: [org, 'members'] })
  const changeRole = useMutation({
    mutationFn: async ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(
        await api.PATCH('/api/v1/organizations/current/members/{user_id}', {
          params: { path: { user_id: userId } },
          body: { role },
        }),
      ),
    onSuccess: () => toast.success(t('settings.roleChanged')),
    onError: (e) => toastError(e, t('settings.changeFailed')),
    onSettled: refresh,
  })
  const remove = useMutation({
    mutationFn: async (userId: string) =>
      unwrap(await api.DELETE('/api/v1/organizations/current/members/{user_id}', { params: { path: { user_id: userId } } })),
    onSuccess: () => toast.success(t('settings.removed')),
    onError: (e) => toastError(e, t('settings.changeFailed')),
    onSettled: refresh,
  })

  return (
    <div className="mx-auto max-w-4xl px-4 py-5 md:px-6">
      <div className="flex flex-wrap items-center gap-3">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">{t('settings.team')}</h1>
          <p className="text-xs text-muted-foreground">{t('settings.teamSubtitle')}</p>
        </div>
        {canManage && (
          <div className="ml-auto">
            <InviteDialog />
          </div>
        )}
      </div>
      <Card className="mt-5 divide-y">
        {members.isPending
          ? [0, 1, 2].map((i) => <Skeleton key={i} className="m-3 h-8" />)
          : members.data?.map((m) => (
              <div key={m.user_id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="member-row">
                <Avatar name={m.name} className="size-8 text-xs" />
                <div className="min-w-0 flex-1">
                  <div className="truncate text-[13px] font-medium">
                    {m.name}{' '}
                    {m.user_id === session?.user.id && <span className="font-normal text-muted-foreground">({t('settings.you')})</span>}
                  </div>
                  <div className="truncate text-xs text-muted-foreground">
                    {m.email} · {t('settings.joined', { date: formatDate(m.joined_at, i18n.language) })}
                  </div>
                </div>
                {canManage && m.user_id !== session?.user.id ? (
                  <>
                    <NativeSelect
                      aria-label={t('settings.roleOf', { name: m.name })}
                      value={m.role}
                      onChange={(e) => changeRole.mutate({ userId: m.user_id, role: e.target.value as Role })}
                      className="h-8 text-[13px]"
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`roles.${r}`)}
                        </option>
                      ))}
                    </NativeSelect>
                    <ConfirmButton
                      variant="ghost"
                      size="icon-sm"
                      aria-label={t('settings.remove', { name: m.name })}
                      title={t('settings.remove', { name: m.name })}
                      body={t('settings.confirmRemove', { name: m.name })}
                      confirmLabel={t('settings.removeConfirm')}
                      onConfirm={() => remove.mutate(m.user_id)}
                    >
                      <Trash2 />
                    </ConfirmButton>
                  </>
                ) : (
                  <span className="text-[13px] text-muted-foreground">{t(`roles.${m.role}`)}</span>
                )}
              </div>
            ))}
      </Card>
      <p className="mt-3 text-xs text-muted-foreground">{t('settings.rolesHelp')}</p>
      <div className="mt-5 grid gap-5">
        {canManage && <PendingInvites />}
        <PermissionMatrix canEdit={canManage} />
        {myRole === 'owner' && <TransferOwnership />}
      </div>
    </div>
  )
}
