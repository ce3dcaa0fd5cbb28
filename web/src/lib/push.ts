/**
 * Web Push on this browser: a service worker (`sw.js`, beside index.html)
 * shows the server's pushes; the subscription it makes is sent to the API.
 */

/** A VAPID public key (base64url, as the API gives it) as the bytes `pushManager.subscribe` wants. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const raw = atob(padded)
  const out = new Uint8Array(new ArrayBuffer(raw.length))
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i)
  return out
}

export type PushState = 'unsupported' | 'denied' | 'off' | 'on'

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
}

/** The service worker's URL: beside the app's index.html, under any path prefix (`<base href>`). */
export function serviceWorkerUrl(): string {
  return new URL('sw.js', document.baseURI).href
}

/** Whether this browser already gets pushes (a subscription exists), or why it cannot. */
export async function currentPushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'denied'
  const reg = await navigator.serviceWorker.getRegistration(serviceWorkerUrl())
  const sub = await reg?.pushManager.getSubscription()
  return sub && Notification.permission === 'granted' ? 'on' : 'off'
}

/**
 * Asks permission, registers the service worker and subscribes with the
 * server's key; resolves to the subscription to send to the API, or to the
 * reason it could not.
 */
export async function subscribePush(publicKey: string): Promise<PushSubscriptionJSON | Exclude<PushState, 'on' | 'off'>> {
  if (!pushSupported()) return 'unsupported'
  const permission = await Notification.requestPermission()
  if (permission !== 'granted') return 'denied'
  await navigator.serviceWorker.register(serviceWorkerUrl())
  const reg = await navigator.serviceWorker.ready
  const key = base64UrlToBytes(publicKey)
  let sub = await reg.pushManager.getSubscription()
  const sameKey = (s: PushSubscription) => {
    const current = s.options.applicationServerKey
    if (!current) return false
    const a = new Uint8Array(current)
    return a.length === key.length && a.every((b, i) => b === key[i])
  }
  // A subscription made with another key (the server's key changed) cannot be used.
  if (sub && !sameKey(sub)) {
    await sub.unsubscribe()
    sub = null
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })
  return sub.toJSON()
}

/** Unsubscribes this browser; resolves to the endpoint the API should forget (null when there was none). */
export async function unsubscribePush(): Promise<string | null> {
  if (!pushSupported()) return null
  const reg = await navigator.serviceWorker.getRegistration(serviceWorkerUrl())
  const sub = await reg?.pushManager.getSubscription()
  if (!sub) return null
  const endpoint = sub.endpoint
  await sub.unsubscribe()
  return endpoint
}
