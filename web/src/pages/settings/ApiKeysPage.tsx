import { useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Copy, KeyRound, Loader2, Plus, TriangleAlert } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { errorText, fieldErrors, toastError } from '@/api/errors'
import { useCurrentOrgId } from '@/api/hooks/session'
import { Field, FormError } from '@/components/forms/Field'
import { SettingsPage } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input, NativeSelect } from '@/components/ui/input'
import { Badge, Card, Skeleton } from '@/components/ui/misc'
import { formatDate, relativeTime } from '@/lib/format'
import type { components } from '@/api/schema'

type ApiKey = components['schemas']['ApiKey']
export const KEY_RESOURCES = [
  'contacts',
  'companies',
  'leads',
  'pipelines',
  'communications',
  'projects',
  'tasks',
  'notes',
  'comments',
  'tags',
  'custom-fields',
  'shares',
  'search',
  'dashboard',
] as const
type Access = 'none' | 'read' | 'write'

/** Scopes from the per-resource choices; everything at one level collapses to `*:<level>`. */
export function scopesFrom(access: Record<string, Access>): string[] {
  const levels = KEY_RESOURCES.map((r) => access[r] ?? 'none')
  if (levels.every((l) => l === 'write')) return ['*:write']
  if (levels.every((l) => l === 'read')) return ['*:read']
  return KEY_RESOURCES.filter((r) => access[r] && access[r] !== 'none').map((r) => `${r}:${access[r]}`)
}

function useApiKeys() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'api-keys'],
    queryFn: async () => unwrap(await api.GET('/api/v1/api-keys')).data,
    enabled: !!org,
  })
}

/** Keys for integrations: create with scopes (the key is shown once), see by prefix and last use, revoke. */
export default function ApiKeysPage() {
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const keys = useApiKeys()
  const [createOpen, setCreateOpen] = useState(false)
  const [revoking, setRevoking] = useState<ApiKey | null>(null)
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: [org, 'api-keys'] }),
  })
  const live = (keys.data ?? []).filter((k) => !k.revoked_at)
  return (
    <SettingsPage
      title={t('settings.apiKeys')}
      subtitle={t('apiKeys.subtitle')}
      testId="api-keys-page"
      action={
        <Button size="sm" onClick={() => setCreateOpen(true)} data-testid="new-api-key">
          <Plus />
          {t('apiKeys.new')}
        </Button>
      }
    >
      <Card className="divide-y">
        {keys.isPending ? (
          <Skeleton className="m-4 h-10" />
        ) : keys.isError ? (
          <p className="p-4 text-sm text-destructive">{errorText(keys.error)}</p>
        ) : live.length === 0 ? (
          <div className="flex flex-col items-center px-6 py-12 text-center">
            <span className="flex size-10 items-center justify-center rounded-lg bg-muted text-muted-foreground">
              <KeyRound className="size-5" />
            </span>
            <h2 className="mt-3 text-sm font-semibold">{t('apiKeys.emptyTitle')}</h2>
            <p className="mt-1 max-w-sm text-[13px] text-muted-foreground">{t('apiKeys.emptyBody')}</p>
          </div>
        ) : (
          live.map((k) => (
            <div key={k.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="api-key-row">
              <span className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-muted text-muted-foreground">
                <KeyRound className="size-4" />
              </span>
              <div className="min-w-0 flex-1 text-[13px]">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{k.name}</span>
                  <code className="rounded bg-muted px-1.5 py-px font-mono text-xs">{k.prefix}…</code>
                </div>
                <div className="mt-1 flex flex-wrap gap-1">
                  {k.scopes.map((s) => (
                    <Badge key={s} className="font-mono">
                      {s}
                    </Badge>
                  ))}
                </div>
                <div className="mt-1 text-xs text-muted-foreground">
                  {t('apiKeys.created', { date: formatDate(k.created_at, i18n.language) })} ·{' '}
                  {k.last_used_at ? t('apiKeys.lastUsed', { when: relativeTime(k.last_used_at, i18n.language) }) : t('apiKeys.neverUsed')}
                  {k.expires_at && <> · {t('apiKeys.expires', { date: formatDate(k.expires_at, i18n.language) })}</>}
                </div>
              </div>
              <Button
                size="sm"
                variant="ghost"
                className="text-destructive"
                onClick={() => setRevoking(k)}
                aria-label={t('apiKeys.revokeNamed', { name: k.name })}
              >
                {t('apiKeys.revoke')}
              </Button>
            </div>
          ))
        )}
      </Card>
      <p className="text-xs text-muted-foreground">{t('apiKeys.help')}</p>
      <CreateKeyDialog open={createOpen} onOpenChange={setCreateOpen} />
      <ConfirmDialog
        open={!!revoking}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={t('apiKeys.revokeTitle', { name: revoking?.name ?? '' })}
        body={t('apiKeys.revokeBody')}
        confirmLabel={t('apiKeys.revoke')}
        busy={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              toast.success(t('apiKeys.revoked'))
              setRevoking(null)
            },
            onError: (e) => toastError(e),
          })
        }
      />
    </SettingsPage>
  )
}

function CreateKeyDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const [name, setName] = useState('')
  const [access, setAccess] = useState<Record<string, Access>>({})
  const [expires, setExpires] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [created, setCreated] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/api-keys', {
          body: {
            name: name.trim(),
            scopes: scopesFrom(access),
            expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
          },
        }),
      ),
    onSuccess: (k) => {
      setCreated(k.key)
      void qc.invalidateQueries({ queryKey: [org, 'api-keys'] })
    },
    onError: (e) => {
      const m = fieldErrors(e, ['name', 'scopes', 'expires_at'])
      setErrors(m.fields)
      setFormError(m.form)
    },
  })
  const close = (o: boolean) => {
    onOpenChange(o)
    if (!o) {
      setName('')
      setAccess({})
      setExpires('')
      setErrors({})
      setFormError(null)
      setCreated(null)
    }
  }
  const setAll = (level: Access) => setAccess(Object.fromEntries(KEY_RESOURCES.map((r) => [r, level])))
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>{created ? t('apiKeys.createdTitle') : t('apiKeys.new')}</DialogTitle>
          <DialogDescription>{created ? t('apiKeys.shownOnce') : t('apiKeys.createHelp')}</DialogDescription>
        </DialogHeader>
        {created ? (
          <div className="grid gap-4">
            <div className="flex items-center gap-2 rounded-lg border border-amber-500/40 bg-amber-500/10 p-3 text-[13px]">
              <TriangleAlert className="size-4 shrink-0 text-amber-600 dark:text-amber-400" />
              {t('apiKeys.copyNow')}
            </div>
            <div className="flex items-center gap-2">
              <code
                className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2 font-mono text-xs"
                data-testid="api-key-secret"
              >
                {created}
              </code>
              <Button
                variant="outline"
                size="sm"
                onClick={() => navigator.clipboard.writeText(created).then(() => toast.success(t('common.copied')))}
              >
                <Copy />
                {t('common.copy')}
              </Button>
            </div>
            <DialogFooter>
              <Button onClick={() => close(false)}>{t('apiKeys.done')}</Button>
            </DialogFooter>
          </div>
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault()
              setFormError(null)
              const client: Record<string, string> = {}
              if (!name.trim()) client.name = t('auth.required')
              if (scopesFrom(access).length === 0) client.scopes = t('apiKeys.pickScope')
              setErrors(client)
              if (!Object.keys(client).length) create.mutate()
            }}
          >
            <FormError message={formError} />
            <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
              <Field label={t('apiKeys.name')} error={errors.name}>
                <Input autoFocus placeholder={t('apiKeys.namePlaceholder')} value={name} onChange={(e) => setName(e.target.value)} />
              </Field>
              <Field label={t('apiKeys.expiresLabel')} error={errors.expires_at} hint={t('apiKeys.expiresHint')}>
                <Input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
              </Field>
            </div>
            <fieldset className="grid gap-2">
              <legend className="mb-2 flex w-full flex-wrap items-center gap-2 text-[13px] font-medium">
                {t('apiKeys.scopes')}
                <span className="ml-auto flex gap-1">
                  <Button type="button" size="sm" variant="ghost" className="h-7 text-xs" onClick={() => setAll('read')}>
                    {t('apiKeys.allRead')}
                  </Button>
                  <Button type="button" size="sm" variant="ghost" className="h-7 text-xs" onClick={() => setAll('write')}>
                    {t('apiKeys.allWrite')}
                  </Button>
                </span>
              </legend>
              <div className="grid max-h-64 gap-x-4 gap-y-1.5 overflow-y-auto rounded-lg border p-3 sm:grid-cols-2">
                {KEY_RESOURCES.map((r) => (
                  <label key={r} className="flex items-center justify-between gap-2 text-[13px]">
                    <span className="font-mono text-xs">{r}</span>
                    <NativeSelect
                      aria-label={t('apiKeys.accessTo', { resource: r })}
                      value={access[r] ?? 'none'}
                      onChange={(e) => setAccess({ ...access, [r]: e.target.value as Access })}
                      className="h-7 text-xs"
                    >
                      <option value="none">{t('apiKeys.access.none')}</option>
                      <option value="read">{t('apiKeys.access.read')}</option>
                      <option value="write">{t('apiKeys.access.write')}</option>
                    </NativeSelect>
                  </label>
                ))}
              </div>
              {errors.scopes && (
                <p role="alert" className="text-xs text-destructive">
                  {errors.scopes}
                </p>
              )}
              <p className="text-xs text-muted-foreground">{t('apiKeys.scopesHelp', { scopes: scopesFrom(access).join(', ') || '—' })}</p>
            </fieldset>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => close(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending && <Loader2 className="animate-spin" />}
                {t('apiKeys.create')}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}
