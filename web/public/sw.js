// Loved CRM's service worker: shows Web Push notifications (reminders,
// mentions…) and opens the app where they point. It caches nothing.
//
// A push's payload is JSON: {title, body, url} (url relative to the app, or absolute).

self.addEventListener('install', () => {
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim())
})

function payloadOf(event) {
  if (!event.data) return {}
  try {
    return event.data.json() || {}
  } catch {
    return { body: event.data.text() }
  }
}

/** The app's URL for a link from the server: absolute as it is, `/calendar?…` under the app's own path. */
function appUrl(url) {
  const scope = self.registration.scope
  if (!url) return scope
  if (/^https?:\/\//i.test(url)) return url
  return new URL(url.replace(/^\/+/, ''), scope).href
}

self.addEventListener('push', (event) => {
  const data = payloadOf(event)
  const title = typeof data.title === 'string' && data.title ? data.title : 'Loved CRM'
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      icon: new URL('favicon.svg', self.registration.scope).href,
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      data: { url: appUrl(typeof data.url === 'string' ? data.url : '') },
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = (event.notification.data && event.notification.data.url) || self.registration.scope
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const exact = windows.find((w) => w.url === url)
      if (exact) return exact.focus()
      // A tab of the app already open goes there; otherwise a new one opens.
      const app = windows.find((w) => w.url.startsWith(self.registration.scope))
      if (app) {
        await app.focus()
        return app.navigate(url).catch(() => self.clients.openWindow(url))
      }
      return self.clients.openWindow(url)
    })(),
  )
})
