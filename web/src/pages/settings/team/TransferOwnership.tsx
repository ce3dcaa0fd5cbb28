import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Crown } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useMembers } from '@/api/hooks/orgs'
import { useCurrentOrgId, useSession } from '@/api/hooks/session'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/input'
import { toastError } from '@/api/errors'

/** The owner hands the organization to another member and becomes an admin. */
export function TransferOwnership() {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const session = useSession()
  const qc = useQueryClient()
  const members = (useMembers().data ?? []).filter((m) => m.user_id !== session?.user.id)
  const [to, setTo] = useState('')
  const [confirming, setConfirming] = useState(false)
  const target = members.find((m) => m.user_id === to)
  const transfer = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/organizations/current/transfer-ownership', { body: { user_id: to } })),
    onSuccess: () => {
      toast.success(t('team.transferred', { name: target?.name ?? '' }))
      setConfirming(false)
      void qc.invalidateQueries({ queryKey: ['organizations'] })
      void qc.invalidateQueries({ queryKey: [org, 'members'] })
    },
    onError: (e) => toastError(e, t('settings.changeFailed')),
  })
  return (
    <Section title={t('team.transfer')} description={t('team.transferHelp')}>
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid min-w-56 flex-1 gap-1.5">
          <Label htmlFor="transfer-to">{t('team.newOwner')}</Label>
          <NativeSelect id="transfer-to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">{t('team.chooseMember')}</option>
            {members.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name} ({m.email})
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button variant="outline" disabled={!to} onClick={() => setConfirming(true)}>
          <Crown />
          {t('team.transferButton')}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t('team.transferTitle', { name: target?.name ?? '' })}
        body={t('team.transferBody', { name: target?.name ?? '' })}
        confirmLabel={t('team.transferButton')}
        busy={transfer.isPending}
        onConfirm={() => transfer.mutate()}
      />
    </Section>
  )
}
