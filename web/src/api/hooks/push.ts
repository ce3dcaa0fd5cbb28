import { api } from '../client'
import { unwrap } from '../problem'
import type { components } from '../schema'

export type PushSubscriptionBody = components['schemas']['Subscription']

/** The server's VAPID public key (base64url). */
export async function pushPublicKey(): Promise<string> {
  return unwrap(await api.GET('/api/v1/push/public-key')).public_key
}

/** Tells the server where to push for me: a browser's `PushSubscription.toJSON()`. */
export async function savePushSubscription(sub: PushSubscriptionJSON): Promise<void> {
  const body = { endpoint: sub.endpoint ?? '', keys: { p256dh: sub.keys?.p256dh ?? '', auth: sub.keys?.auth ?? '' } }
  unwrap(await api.POST('/api/v1/users/me/push-subscriptions', { body }))
}

export async function deletePushSubscription(endpoint: string): Promise<void> {
  unwrap(await api.DELETE('/api/v1/users/me/push-subscriptions', { params: { query: { endpoint } } }))
}
