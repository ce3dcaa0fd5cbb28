import { useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ListPlus, Pencil, Plus, SlidersHorizontal, Trash2 } from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { FIELD_ENTITIES, useCustomFieldMutations, useCustomFields, type FieldDefinition, type FieldEntity } from '@/api/hooks/customFields'
import { SettingsPage } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'
import { Badge, Card, Skeleton } from '@/components/ui/misc'
import { cn } from '@/lib/utils'
import { CustomFieldDialog } from './CustomFieldDialog'
import { toastError } from '@/api/errors'

/** Custom fields per record type: list, create, rename (and options), delete. */
export default function CustomFieldsPage() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const entity = (FIELD_ENTITIES as readonly string[]).includes(params.get('entity') ?? '')
    ? (params.get('entity') as FieldEntity)
    : 'contact'
  const fields = useCustomFields()
  const { remove } = useCustomFieldMutations()
  const org = useCurrentOrgId()
  const role = useOrganizations().data?.find((o) => o.id === org)?.role
  const canManage = role === 'owner' || role === 'admin' || role === 'manager'
  const [dialog, setDialog] = useState<{ open: boolean; editing?: FieldDefinition }>({ open: false })
  const [deleting, setDeleting] = useState<FieldDefinition | null>(null)
  const list = fields.data?.filter((d) => d.entity_type === entity) ?? []
  const count = (e: FieldEntity) => fields.data?.filter((d) => d.entity_type === e).length ?? 0

  return (
    <SettingsPage
      title={t('settings.customFields')}
      subtitle={t('customFields.subtitle')}
      testId="custom-fields-page"
      action={
        canManage && (
          <Button size="sm" onClick={() => setDialog({ open: true })} data-testid="new-custom-field">
            <Plus />
            {t('customFields.new')}
          </Button>
        )
      }
    >
      <div role="tablist" aria-label={t('customFields.recordType')} className="flex gap-1 overflow-x-auto border-b">
        {FIELD_ENTITIES.map((e) => (
          <button
            key={e}
            role="tab"
            type="button"
            aria-selected={entity === e}
            onClick={() => setParams({ entity: e }, { replace: true })}
            className={cn(
              '-mb-px flex shrink-0 items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-[13px] font-medium text-muted-foreground hover:text-foreground',
              entity === e && 'border-primary text-foreground',
            )}
          >
            {t(`customFields.entitiesPlural.${e}`)}
            {count(e) > 0 && <span className="rounded-full bg-muted px-1.5 text-[11px] tabular-nums">{count(e)}</span>}
          </button>
        ))}
      </div>
      <Card role="tabpanel" className="divide-y">
        {fields.isPending ? (
          [0, 1, 2].map((i) => <Skeleton key={i} className="m-4 h-8" />)
        ) : list.length === 0 ? (
          <div className="flex flex-col items-center px-6 py-12 text-center">
            <span className="flex size-10 items-center justify-center rounded-lg bg-muted text-muted-foreground">
              <SlidersHorizontal className="size-5" />
            </span>
            <h2 className="mt-3 text-sm font-semibold">
              {t('customFields.emptyTitle', { entity: t(`customFields.entitiesPlural.${entity}`) })}
            </h2>
            <p className="mt-1 max-w-sm text-[13px] text-muted-foreground">{t('customFields.emptyBody')}</p>
            {canManage && (
              <Button size="sm" variant="outline" className="mt-4" onClick={() => setDialog({ open: true })}>
                <ListPlus />
                {t('customFields.new')}
              </Button>
            )}
          </div>
        ) : (
          list.map((d) => (
            <div
              key={d.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1.5 px-4 py-3"
              data-testid="custom-field-row"
              data-key={d.key}
            >
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="truncate text-[13px] font-medium">{d.label}</span>
                  <Badge>{t(`customFields.kinds.${d.kind}`, { defaultValue: d.kind })}</Badge>
                  {d.required && <Badge className="border-primary/30 text-primary">{t('customFields.requiredBadge')}</Badge>}
                </div>
                <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
                  <code className="font-mono">{d.key}</code>
                  {d.options.slice(0, 5).map((o) => (
                    <span key={o} className="rounded bg-muted px-1.5 py-px">
                      {o}
                    </span>
                  ))}
                  {d.options.length > 5 && <span>+{d.options.length - 5}</span>}
                </div>
              </div>
              {canManage && (
                <div className="flex items-center gap-1">
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label={t('customFields.edit', { label: d.label })}
                    onClick={() => setDialog({ open: true, editing: d })}
                  >
                    <Pencil />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label={t('customFields.delete', { label: d.label })}
                    onClick={() => setDeleting(d)}
                  >
                    <Trash2 />
                  </Button>
                </div>
              )}
            </div>
          ))
        )}
      </Card>
      <p className="text-xs text-muted-foreground">{t('customFields.help')}</p>
      <CustomFieldDialog
        open={dialog.open}
        editing={dialog.editing}
        entity={dialog.editing ? (dialog.editing.entity_type as FieldEntity) : entity}
        onOpenChange={(open) => setDialog((d) => ({ ...d, open }))}
        onSaved={(def) => toast.success(dialog.editing ? t('customFields.saved') : t('customFields.created', { label: def.label }))}
      />
      <ConfirmDialog
        open={!!deleting}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={t('customFields.deleteTitle', { label: deleting?.label ?? '' })}
        body={t('customFields.deleteBody')}
        confirmLabel={t('customFields.deleteConfirm')}
        busy={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting, {
            onSuccess: () => {
              toast.success(t('customFields.deleted', { label: deleting.label }))
              setDeleting(null)
            },
            onError: (e) => toastError(e, t('customFields.deleteFailed')),
          })
        }
      />
    </SettingsPage>
  )
}
