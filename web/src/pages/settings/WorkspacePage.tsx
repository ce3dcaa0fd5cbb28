import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ImageUp, Loader2, Trash2 } from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useUpdateWorkspace, useWorkspace, type WorkspacePatch } from '@/api/hooks/workspace'
import { fieldErrors } from '@/api/errors'
import { isApiError } from '@/api/problem'
import { Field, FormError } from '@/components/forms/Field'
import { Section, SettingsPage } from '@/components/settings/SettingsPage'
import { WorkspaceMark } from '@/components/layout/WorkspaceMark'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/misc'
import { CURRENCIES, LOGO_MAX_BYTES, fitWithin, normalizeHex } from '@/lib/brand'
import { formatMoney } from '@/lib/format'

const FIELDS = ['name', 'default_currency', 'logo', 'brand_color'] as const

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}

/** A logo as a small data URL: SVG as it is, other images scaled to fit 256×256 as PNG. */
async function logoDataUrl(file: File): Promise<string> {
  if (file.type === 'image/svg+xml') return readAsDataUrl(file)
  const url = URL.createObjectURL(file)
  try {
    const img = new Image()
    img.src = url
    await img.decode()
    const { width, height } = fitWithin(img.naturalWidth, img.naturalHeight)
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    canvas.getContext('2d')!.drawImage(img, 0, 0, width, height)
    return canvas.toDataURL('image/png')
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** The workspace's own settings (SPEC §9): name, default currency, logo and brand colour. */
export default function WorkspacePage() {
  const { t, i18n } = useTranslation()
  const workspace = useWorkspace()
  const update = useUpdateWorkspace()
  const org = useCurrentOrgId()
  const role = useOrganizations().data?.find((o) => o.id === org)?.role
  const canEdit = role === 'owner' || role === 'admin'
  const w = workspace.data
  const [name, setName] = useState('')
  const [currency, setCurrency] = useState('')
  const [color, setColor] = useState('')
  const [logo, setLogo] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const file = useRef<HTMLInputElement>(null)

  // The form starts from each saved version; a refetch of the same version
  // (focus, a resync) must not wipe what is being edited.
  const shown = w ? `${w.id}:${w.version}` : null
  useEffect(() => {
    if (!w) return
    setName(w.name)
    setCurrency(w.default_currency)
    setColor(w.brand_color ?? '')
    setLogo(w.logo ?? null)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shown` names the version
  }, [shown])

  const names = useMemo(() => {
    try {
      return new Intl.DisplayNames([i18n.language], { type: 'currency' })
    } catch {
      return null
    }
  }, [i18n.language])
  const options = useMemo(() => {
    const list: string[] = [...CURRENCIES]
    if (w && !list.includes(w.default_currency)) list.unshift(w.default_currency)
    return list
  }, [w])

  if (!w) {
    return (
      <SettingsPage title={t('workspace.title')} subtitle={t('workspace.subtitle')} testId="workspace-page">
        <Skeleton className="h-80" />
      </SettingsPage>
    )
  }

  const brand = color ? normalizeHex(color) : null
  const patch: WorkspacePatch = {}
  if (name.trim() !== w.name) patch.name = name.trim()
  if (currency !== w.default_currency) patch.default_currency = currency
  if ((brand ?? null) !== (w.brand_color ?? null) && (brand || !color)) patch.brand_color = brand
  if (logo !== (w.logo ?? null)) patch.logo = logo
  const dirty = Object.keys(patch).length > 0

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    setFormError(null)
    const local: Record<string, string> = {}
    if (!name.trim()) local.name = t('auth.required')
    if (color && !brand) local.brand_color = t('workspace.colorInvalid')
    setErrors(local)
    if (Object.keys(local).length || !dirty) return
    update.mutate(
      { version: w.version, patch },
      {
        onSuccess: () => toast.success(t('workspace.saved')),
        onError: (err) => {
          if (isApiError(err) && err.status === 412) {
            setFormError(t('workspace.conflict'))
            void workspace.refetch()
            return
          }
          const mapped = fieldErrors(err, FIELDS)
          setErrors(mapped.fields)
          setFormError(mapped.form)
        },
      },
    )
  }

  const chooseLogo = async (f: File | undefined) => {
    if (!f) return
    setErrors((e) => ({ ...e, logo: '' }))
    if (!/^image\/(png|jpeg|webp|svg\+xml)$/.test(f.type)) {
      setErrors((e) => ({ ...e, logo: t('workspace.logoType') }))
      return
    }
    try {
      const url = await logoDataUrl(f)
      if (url.length > LOGO_MAX_BYTES) {
        setErrors((e) => ({ ...e, logo: t('workspace.logoTooLarge') }))
        return
      }
      setLogo(url)
    } catch {
      setErrors((e) => ({ ...e, logo: t('workspace.logoUnreadable') }))
    }
  }

  return (
    <SettingsPage title={t('workspace.title')} subtitle={t('workspace.subtitle')} testId="workspace-page">
      {!canEdit && (
        <p className="rounded-md border bg-muted/50 px-3 py-2 text-[13px] text-muted-foreground" data-testid="workspace-readonly">
          {t('workspace.onlyAdmins')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset disabled={!canEdit} className="grid gap-5">
          <Section
            title={t('workspace.identity')}
            description={t('workspace.identityHelp')}
            footer={
              canEdit && (
                <Button type="submit" size="sm" disabled={update.isPending || !dirty} data-testid="workspace-save">
                  {update.isPending && <Loader2 className="animate-spin" />}
                  {t('common.save')}
                </Button>
              )
            }
          >
            <div className="grid gap-5">
              <FormError message={formError} />
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label={t('workspace.name')} error={errors.name}>
                  <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
                </Field>
                <Field label={t('workspace.currency')} error={errors.default_currency} hint={t('workspace.currencyHint')}>
                  <NativeSelect value={currency} onChange={(e) => setCurrency(e.target.value)} className="w-full">
                    {options.map((c) => (
                      <option key={c} value={c}>
                        {c} — {names?.of(c) ?? c}
                      </option>
                    ))}
                  </NativeSelect>
                </Field>
              </div>
              <div className="grid gap-4 sm:grid-cols-2">
                <div className="grid content-start gap-1.5">
                  <span className="text-[13px] font-medium text-foreground/90" id="logo-label">
                    {t('workspace.logo')}
                  </span>
                  <div className="flex items-center gap-3" aria-labelledby="logo-label">
                    <WorkspaceMark name={name || w.name} logo={logo} color={brand} className="size-12 text-base" />
                    <input
                      ref={file}
                      type="file"
                      accept="image/png,image/jpeg,image/webp,image/svg+xml"
                      className="sr-only"
                      aria-label={t('workspace.uploadLogo')}
                      data-testid="logo-input"
                      onChange={(e) => {
                        void chooseLogo(e.target.files?.[0])
                        e.target.value = ''
                      }}
                    />
                    <Button type="button" variant="outline" size="sm" onClick={() => file.current?.click()}>
                      <ImageUp />
                      {logo ? t('workspace.replaceLogo') : t('workspace.uploadLogo')}
                    </Button>
                    {logo && (
                      <Button type="button" variant="ghost" size="sm" onClick={() => setLogo(null)}>
                        <Trash2 />
                        {t('workspace.removeLogo')}
                      </Button>
                    )}
                  </div>
                  {errors.logo ? (
                    <p role="alert" className="text-xs text-destructive">
                      {errors.logo}
                    </p>
                  ) : (
                    <p className="text-xs text-muted-foreground">{t('workspace.logoHint')}</p>
                  )}
                </div>
                <div className="grid content-start gap-1.5">
                  <Label htmlFor="brand-color">{t('workspace.color')}</Label>
                  <div className="flex items-center gap-2">
                    <input
                      type="color"
                      aria-label={t('workspace.colorPicker')}
                      value={brand ?? '#c81e4a'}
                      onChange={(e) => setColor(e.target.value)}
                      className="h-9 w-11 shrink-0 cursor-pointer rounded-md border bg-card p-1"
                    />
                    <Input
                      id="brand-color"
                      value={color}
                      onChange={(e) => setColor(e.target.value)}
                      placeholder="#c81e4a"
                      className="font-mono"
                      aria-invalid={errors.brand_color ? true : undefined}
                    />
                    {color && (
                      <Button type="button" variant="ghost" size="sm" onClick={() => setColor('')}>
                        {t('workspace.resetColor')}
                      </Button>
                    )}
                  </div>
                  {errors.brand_color ? (
                    <p role="alert" className="text-xs text-destructive">
                      {errors.brand_color}
                    </p>
                  ) : (
                    <p className="text-xs text-muted-foreground">{t('workspace.colorHint')}</p>
                  )}
                </div>
              </div>
              <p className="text-xs text-muted-foreground">
                {t('workspace.preview', { value: formatMoney(12500, currency || w.default_currency, i18n.language) })}
              </p>
            </div>
          </Section>
        </fieldset>
      </form>
    </SettingsPage>
  )
}
