import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { BellOff, BellRing, Loader2 } from 'lucide-react'
import { toastError } from '@/api/errors'
import { deletePushSubscription, pushPublicKey, savePushSubscription } from '@/api/hooks/push'
import { Button } from '@/components/ui/button'
import { currentPushState, subscribePush, unsubscribePush, type PushState } from '@/lib/push'

/** "Enable push notifications on this browser": the service worker, the permission and the subscription. */
export function PushButton() {
  const { t } = useTranslation()
  const [state, setState] = useState<PushState | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    currentPushState()
      .then((s) => live && setState(s))
      .catch(() => live && setState('off'))
    return () => {
      live = false
    }
  }, [])

  const enable = async () => {
    setBusy(true)
    try {
      const key = await pushPublicKey()
      const sub = await subscribePush(key)
      if (typeof sub === 'string') {
        setState(sub)
        if (sub === 'denied') toast.error(t('prefs.push.deniedTitle'), { description: t('prefs.push.denied') })
        return
      }
      await savePushSubscription(sub)
      setState('on')
      toast.success(t('prefs.push.enabled'))
    } catch (e) {
      toastError(e, t('prefs.push.failed'))
    } finally {
      setBusy(false)
    }
  }

  const disable = async () => {
    setBusy(true)
    try {
      const endpoint = await unsubscribePush()
      if (endpoint) await deletePushSubscription(endpoint)
      setState('off')
      toast.success(t('prefs.push.disabled'))
    } catch (e) {
      toastError(e, t('prefs.push.failed'))
    } finally {
      setBusy(false)
    }
  }

  if (state === null) return null
  return (
    <div className="mr-auto flex flex-wrap items-center gap-3" data-testid="push-settings" data-state={state}>
      {state === 'on' ? (
        <Button type="button" variant="outline" size="sm" disabled={busy} onClick={() => void disable()}>
          {busy ? <Loader2 className="animate-spin" /> : <BellOff />}
          {t('prefs.push.disable')}
        </Button>
      ) : (
        <Button type="button" variant="outline" size="sm" disabled={busy || state === 'unsupported'} onClick={() => void enable()}>
          {busy ? <Loader2 className="animate-spin" /> : <BellRing />}
          {t('prefs.push.enable')}
        </Button>
      )}
      <p className="text-xs text-muted-foreground">{t(`prefs.push.state.${state}`)}</p>
    </div>
  )
}
