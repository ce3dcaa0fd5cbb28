import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Copy, KeyRound, Loader2, ShieldCheck, ShieldOff } from 'lucide-react'
import { errorText, fieldErrors } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Badge, Skeleton } from '@/components/ui/misc'
import { BackupCodes } from './BackupCodes'
import { useSecurityMutations, useTwoFactorStatus } from './useSecurity'

/** Two-factor status; set up (QR code, confirm, backup codes), new backup codes, turn off. */
export function TwoFactorSection() {
  const { t } = useTranslation()
  const status = useTwoFactorStatus()
  const [setupOpen, setSetupOpen] = useState(false)
  const [reauth, setReauth] = useState<'disable' | 'regenerate' | null>(null)
  const s = status.data
  return (
    <Section
      title={t('security.twoFactor')}
      description={t('security.twoFactorHelp')}
      footer={
        s &&
        (s.enabled ? (
          <>
            <Button size="sm" variant="outline" onClick={() => setReauth('regenerate')}>
              <KeyRound />
              {t('security.newBackupCodes')}
            </Button>
            <Button size="sm" variant="outline" className="text-destructive" onClick={() => setReauth('disable')}>
              <ShieldOff />
              {t('security.turnOff')}
            </Button>
          </>
        ) : (
          <Button size="sm" onClick={() => setSetupOpen(true)} data-testid="setup-2fa">
            <ShieldCheck />
            {t('security.setUp')}
          </Button>
        ))
      }
    >
      {!s ? (
        <Skeleton className="h-10" />
      ) : (
        <div className="flex items-center gap-3" data-testid="two-factor-status" data-enabled={s.enabled}>
          <span
            className={
              s.enabled
                ? 'flex size-9 items-center justify-center rounded-full bg-success/15 text-success'
                : 'flex size-9 items-center justify-center rounded-full bg-muted text-muted-foreground'
            }
          >
            {s.enabled ? <ShieldCheck className="size-5" /> : <ShieldOff className="size-5" />}
          </span>
          <div className="text-[13px]">
            <div className="flex items-center gap-2 font-medium">
              {t('security.authenticatorApp')}
              <Badge className={s.enabled ? 'border-success/30 text-success' : ''}>
                {s.enabled ? t('security.on') : t('security.off')}
              </Badge>
            </div>
            <div className="text-xs text-muted-foreground">
              {s.enabled ? t('security.backupLeft', { count: s.backup_codes_remaining }) : t('security.offHelp')}
            </div>
          </div>
        </div>
      )}
      <SetupDialog open={setupOpen} onOpenChange={setSetupOpen} />
      <ReauthDialog mode={reauth} onClose={() => setReauth(null)} />
    </Section>
  )
}

function SetupDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { t } = useTranslation()
  const { setup, confirm } = useSecurityMutations()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [codes, setCodes] = useState<string[] | null>(null)
  const start = () => {
    setCode('')
    setError(null)
    setCodes(null)
    setup.mutate(undefined, { onError: (e) => setError(errorText(e)) })
  }
  const s = setup.data
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        onOpenChange(o)
        if (o) start()
      }}
    >
      <DialogContent className="max-w-md" onOpenAutoFocus={() => !setup.data && start()}>
        <DialogHeader>
          <DialogTitle>{codes ? t('security.saveCodesTitle') : t('security.setUpTitle')}</DialogTitle>
          <DialogDescription>{codes ? t('security.saveCodesBody') : t('security.setUpBody')}</DialogDescription>
        </DialogHeader>
        {codes ? (
          <>
            <BackupCodes codes={codes} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)} data-testid="backup-codes-done">
                {t('security.savedThem')}
              </Button>
            </DialogFooter>
          </>
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault()
              setError(null)
              const clean = code.replace(/\s/g, '')
              if (!/^\d{6}$/.test(clean)) return setError(t('security.sixDigits'))
              confirm.mutate(clean, {
                onSuccess: (r) => {
                  setCodes(r.backup_codes)
                  toast.success(t('security.enabled'))
                },
                onError: (err) => setError(fieldErrors(err, []).form),
              })
            }}
          >
            <div className="flex flex-col items-center gap-3 sm:flex-row sm:items-start">
              {s ? (
                <img
                  src={`data:image/png;base64,${s.qr_png_base64}`}
                  alt={t('security.qrAlt')}
                  className="size-40 shrink-0 rounded-lg border bg-white p-2 [image-rendering:pixelated]"
                  data-testid="qr-code"
                />
              ) : (
                <Skeleton className="size-40 shrink-0" />
              )}
              <div className="grid min-w-0 gap-2 text-[13px]">
                <p className="text-muted-foreground">{t('security.scan')}</p>
                <p className="text-xs text-muted-foreground">{t('security.orType')}</p>
                <div className="flex items-center gap-1">
                  <code className="min-w-0 flex-1 break-all rounded bg-muted px-2 py-1 font-mono text-xs" data-testid="totp-secret">
                    {s?.secret ?? '…'}
                  </code>
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon-sm"
                    aria-label={t('security.copySecret')}
                    disabled={!s}
                    onClick={() => s && navigator.clipboard.writeText(s.secret).then(() => toast.success(t('common.copied')))}
                  >
                    <Copy />
                  </Button>
                </div>
              </div>
            </div>
            <FormError message={error} />
            <Field label={t('security.enterCode')}>
              <Input
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                placeholder="123456"
                className="font-mono tracking-widest"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </Field>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={!s || confirm.isPending}>
                {confirm.isPending && <Loader2 className="animate-spin" />}
                {t('security.activate')}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}

/** Password and a current code, for turning 2FA off or getting new backup codes. */
function ReauthDialog({ mode, onClose }: { mode: 'disable' | 'regenerate' | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { disable, regenerate } = useSecurityMutations()
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [codes, setCodes] = useState<string[] | null>(null)
  const busy = disable.isPending || regenerate.isPending
  const close = () => {
    setPassword('')
    setCode('')
    setError(null)
    setCodes(null)
    onClose()
  }
  return (
    <Dialog open={!!mode} onOpenChange={(o) => !o && close()}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>{mode === 'disable' ? t('security.turnOffTitle') : t('security.newBackupCodes')}</DialogTitle>
          <DialogDescription>
            {codes ? t('security.saveCodesBody') : mode === 'disable' ? t('security.turnOffBody') : t('security.regenerateBody')}
          </DialogDescription>
        </DialogHeader>
        {codes ? (
          <>
            <BackupCodes codes={codes} />
            <DialogFooter>
              <Button onClick={close}>{t('security.savedThem')}</Button>
            </DialogFooter>
          </>
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault()
              setError(null)
              if (!password || !code.trim()) return setError(t('security.passwordAndCode'))
              const body = { password, code: code.replace(/\s/g, '') }
              const onError = (err: Error) => setError(fieldErrors(err, []).form)
              if (mode === 'disable')
                disable.mutate(body, {
                  onSuccess: () => {
                    toast.success(t('security.disabled'))
                    close()
                  },
                  onError,
                })
              else regenerate.mutate(body, { onSuccess: (r) => setCodes(r.backup_codes), onError })
            }}
          >
            <FormError message={error} />
            <Field label={t('auth.password')}>
              <Input
                type="password"
                autoComplete="current-password"
                autoFocus
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            <Field label={t('security.codeOrBackup')}>
              <Input autoComplete="one-time-code" className="font-mono" value={code} onChange={(e) => setCode(e.target.value)} />
            </Field>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" variant={mode === 'disable' ? 'destructive' : 'default'} disabled={busy}>
                {busy && <Loader2 className="animate-spin" />}
                {mode === 'disable' ? t('security.turnOff') : t('security.generate')}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}
