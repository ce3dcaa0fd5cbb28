import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Check, ChevronDown, Eye, Loader2, Save, Trash2, Users } from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId, useSession } from '@/api/hooks/session'
import { useViewMutations, useViews, type View, type ViewList } from '@/api/hooks/views'
import { fieldErrors, toastError } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Checkbox } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { Input } from '@/components/ui/input'
import { groupViews, isModified, mayChange, VIEW_PARAM } from '@/lib/views'

/**
 * The list's saved views: open one (its filters, sort and columns), save
 * what is shown as a new view (mine or shared with the team), save changes
 * to the open one, delete it.
 */
export function ViewsMenu({
  list,
  allLabel,
  params,
  columns,
  hidden,
  onOpen,
  onReset,
  currentQuery,
}: {
  list: ViewList
  /** "All leads": the list without a view. */
  allLabel: string
  params: URLSearchParams
  /** Every column key of the list, in order. */
  columns: string[]
  hidden: string[]
  onOpen: (view: View) => void
  onReset: () => void
  /** What a view saved now would keep (the list's own parameters). */
  currentQuery: string
}) {
  const { t } = useTranslation()
  const views = useViews(list)
  const { create, update, remove } = useViewMutations(list)
  const me = useSession()?.user.id ?? ''
  const org = useCurrentOrgId()
  const role = useOrganizations().data?.find((o) => o.id === org)?.role
  const isAdmin = role === 'owner' || role === 'admin'
  const [saving, setSaving] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const open = views.data?.find((v) => v.id === params.get(VIEW_PARAM))
  const modified = open ? isModified(open, params, columns, hidden) : false
  const shownColumns = columns.filter((k, i) => i === 0 || !hidden.includes(k))
  const { mine, shared } = groupViews(views.data ?? [], me)

  const item = (v: View) => (
    <DropdownMenuItem key={v.id} onSelect={() => onOpen(v)} data-testid="view-item">
      {v.shared ? <Users /> : <Eye />}
      <span className="truncate">{v.name}</span>
      {open?.id === v.id && <Check className="ml-auto" />}
    </DropdownMenuItem>
  )

  return (
    <div className="flex items-center gap-1.5">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" className="max-w-[16rem]" data-testid="views-menu">
            {open?.shared ? <Users /> : <Eye />}
            <span className="truncate">{open ? open.name : allLabel}</span>
            {modified && (
              <span className="text-xs font-normal text-muted-foreground" data-testid="view-modified">
                · {t('views.edited')}
              </span>
            )}
            <ChevronDown className="opacity-60" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuItem onSelect={onReset}>
            <Eye />
            {allLabel}
            {!open && !currentQuery && <Check className="ml-auto" />}
          </DropdownMenuItem>
          {mine.length > 0 && (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuLabel>{t('views.mine')}</DropdownMenuLabel>
              {mine.map(item)}
            </>
          )}
          {shared.length > 0 && (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuLabel>{t('views.shared')}</DropdownMenuLabel>
              {shared.map(item)}
            </>
          )}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setSaving(true)} data-testid="save-view">
            <Save />
            {t('views.saveNew')}
          </DropdownMenuItem>
          {open && mayChange(open, me, isAdmin) && (
            <>
              <DropdownMenuItem
                disabled={!modified || update.isPending}
                data-testid="update-view"
                onSelect={() =>
                  update.mutate(
                    { view: open, patch: { query: currentQuery, columns: shownColumns } },
                    {
                      onSuccess: () => toast.success(t('views.updated', { name: open.name })),
                      onError: (e) => toastError(e, t('views.saveFailed')),
                    },
                  )
                }
              >
                <Save />
                {t('views.saveChanges', { name: open.name })}
              </DropdownMenuItem>
              <DropdownMenuItem className="text-destructive focus:text-destructive" onSelect={() => setDeleting(true)}>
                <Trash2 />
                {t('views.delete')}
              </DropdownMenuItem>
            </>
          )}
        </DropdownMenuContent>
      </DropdownMenu>
      {saving && (
        <SaveViewDialog
          busy={create.isPending}
          canShare={true}
          onCancel={() => setSaving(false)}
          onSave={(name, share, done) =>
            create.mutate(
              { name, shared: share, query: currentQuery, columns: shownColumns },
              {
                onSuccess: (v) => {
                  setSaving(false)
                  toast.success(t('views.saved', { name: v.name }))
                  onOpen(v)
                },
                onError: (e) => done(e),
              },
            )
          }
        />
      )}
      {open && (
        <ConfirmDialog
          open={deleting}
          onOpenChange={setDeleting}
          title={t('views.deleteTitle', { name: open.name })}
          body={open.shared ? t('views.deleteSharedBody') : t('views.deleteBody')}
          confirmLabel={t('views.delete')}
          busy={remove.isPending}
          onConfirm={() =>
            remove.mutate(open, {
              onSuccess: () => {
                setDeleting(false)
                toast.success(t('views.deleted', { name: open.name }))
                onReset()
              },
              onError: (e) => toastError(e, t('views.saveFailed')),
            })
          }
        />
      )}
    </div>
  )
}

function SaveViewDialog({
  busy,
  canShare,
  onCancel,
  onSave,
}: {
  busy: boolean
  canShare: boolean
  onCancel: () => void
  onSave: (name: string, shared: boolean, done: (error: unknown) => void) => void
}) {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const [shared, setShared] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  return (
    <Dialog open onOpenChange={(o) => !o && onCancel()}>
      <DialogContent data-testid="save-view-dialog">
        <DialogHeader>
          <DialogTitle>{t('views.saveNew')}</DialogTitle>
          <DialogDescription>{t('views.saveHelp')}</DialogDescription>
        </DialogHeader>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault()
            if (!name.trim()) return setErrors({ name: t('auth.required') })
            setErrors({})
            setFormError(null)
            onSave(name.trim(), shared, (error) => {
              const m = fieldErrors(error, ['name', 'query', 'columns'])
              setErrors(m.fields)
              setFormError(m.form ?? (m.fields.query ? t('views.badQuery') : null))
            })
          }}
        >
          <FormError message={formError} />
          <Field label={t('views.name')} error={errors.name}>
            <Input
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={t('views.namePlaceholder')}
              maxLength={100}
            />
          </Field>
          {canShare && (
            <Checkbox
              label={t('views.shareLabel')}
              description={t('views.shareHelp')}
              checked={shared}
              onChange={(e) => setShared(e.target.checked)}
            />
          )}
          {errors.query && <p className="text-xs text-destructive">{errors.query}</p>}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={busy}>
              {busy && <Loader2 className="animate-spin" />}
              {t('views.save')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
