/** What the server injects into index.html (see crates/lovedcrm/src/web/page.rs). */
declare global {
  interface Window {
    __LOVEDCRM__?: { basePath?: string }
  }
}

function normalize(path: string | undefined): string {
  const trimmed = (path ?? '/').replace(/^\/+|\/+$/g, '')
  return trimmed ? `/${trimmed}/` : '/'
}

/** `/` or `/crm/`: where the app lives; API and router URLs are built from it. */
export const basePath = normalize(typeof window === 'undefined' ? '/' : window.__LOVEDCRM__?.basePath)

/** The router's basename: the base path without its trailing slash (`''` at the root). */
export const routerBase = basePath.replace(/\/$/, '')

/** Absolute URL of an API path such as `/api/v1/leads`. */
export function apiUrl(path: string): string {
  return `${routerBase}${path}`
}

export function wsUrl(path: string): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${window.location.host}${routerBase}${path}`
}
