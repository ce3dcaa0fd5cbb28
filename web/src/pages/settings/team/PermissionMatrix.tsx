import { useEffect, useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Loader2 } from 'lucide-react'
import { api } from '@/api/client'
import { isApiError, unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { components } from '@/api/schema'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/misc'
import { toastError } from '@/api/errors'

type RolePermissions = components['schemas']['RolePermissions']
export const PERMISSIONS: (keyof RolePermissions)[] = [
  'create',
  'read',
  'update',
  'delete',
  'export',
  'manage_members',
  'manage_billing',
  'manage_integrations',
]
export const MATRIX_ROLES = ['owner', 'admin', 'manager', 'sales', 'viewer'] as const

/** Who may do what, per role; owners and admins edit it, the owner row stays complete. */
export function PermissionMatrix({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const matrix = useQuery({
    queryKey: [org, 'permissions'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations/current/permissions')),
    enabled: !!org,
  })
  const [draft, setDraft] = useState<Record<string, RolePermissions> | null>(null)
  useEffect(() => {
    if (matrix.data) setDraft(matrix.data.roles)
  }, [matrix.data])
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/organizations/current/permissions', {
          params: { header: { 'If-Match': `"${matrix.data!.version}"` } },
          body: { roles: draft! },
        }),
      ),
    onSuccess: (m) => {
      qc.setQueryData([org, 'permissions'], m)
      toast.success(t('team.permissionsSaved'))
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 412) {
        toast.error(t('errors.conflictTitle'), { description: t('errors.conflictBody') })
        void qc.invalidateQueries({ queryKey: [org, 'permissions'] })
      } else toastError(e, t('settings.changeFailed'))
    },
  })
  const dirty = !!draft && !!matrix.data && JSON.stringify(draft) !== JSON.stringify(matrix.data.roles)
  return (
    <Section
      title={t('team.permissions')}
      description={t('team.permissionsHelp')}
      footer={
        canEdit && (
          <>
            <Button size="sm" variant="outline" disabled={!dirty} onClick={() => setDraft(matrix.data!.roles)}>
              {t('team.reset')}
            </Button>
            <Button size="sm" disabled={!dirty || save.isPending} onClick={() => save.mutate()} data-testid="save-permissions">
              {save.isPending && <Loader2 className="animate-spin" />}
              {t('common.save')}
            </Button>
          </>
        )
      }
    >
      {!draft ? (
        <Skeleton className="h-48" />
      ) : (
        <div className="-mx-4 overflow-x-auto sm:-mx-5">
          <table className="w-full min-w-[560px] text-[13px]" data-testid="permission-matrix">
            <thead>
              <tr className="text-xs text-muted-foreground">
                <th className="px-4 pb-2 text-left font-medium sm:px-5">{t('settings.role')}</th>
                {PERMISSIONS.map((p) => (
                  <th key={p} className="px-1 pb-2 text-center font-medium">
                    {t(`team.perms.${p}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y">
              {MATRIX_ROLES.filter((r) => draft[r]).map((role) => (
                <tr key={role}>
                  <th scope="row" className="px-4 py-2 text-left font-medium sm:px-5">
                    {t(`roles.${role}`)}
                  </th>
                  {PERMISSIONS.map((p) => (
                    <td key={p} className="px-1 py-2 text-center">
                      <input
                        type="checkbox"
                        className="size-4 cursor-pointer accent-primary disabled:cursor-not-allowed"
                        aria-label={t('team.permOf', { role: t(`roles.${role}`), permission: t(`team.perms.${p}`) })}
                        checked={draft[role][p]}
                        disabled={!canEdit || role === 'owner'}
                        onChange={(e) => setDraft({ ...draft, [role]: { ...draft[role], [p]: e.target.checked } })}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  )
}
