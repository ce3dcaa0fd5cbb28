/** White-label helpers: a text colour readable on the brand colour, the currencies offered, logo sizing. */

/** `#rrggbb` → its relative luminance (WCAG), 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim())
  if (!m) return 0
  const n = parseInt(m[1], 16)
  const channel = (c: number) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

/** White or near-black, whichever reads better on `hex`. */
export function textOn(hex: string): string {
  const l = luminance(hex)
  // Contrast with white vs. with #111: pick the larger.
  const withWhite = 1.05 / (l + 0.05)
  const withDark = (l + 0.05) / (0.0056 + 0.05)
  return withWhite >= withDark ? '#ffffff' : '#111111'
}

/** `#RGB`, `RRGGBB`, ` #rrggbb ` → `#rrggbb`; null when it is not a colour. */
export function normalizeHex(value: string): string | null {
  let v = value.trim().toLowerCase()
  if (!v.startsWith('#')) v = `#${v}`
  if (/^#[0-9a-f]{3}$/.test(v)) v = `#${v[1]}${v[1]}${v[2]}${v[2]}${v[3]}${v[3]}`
  return /^#[0-9a-f]{6}$/.test(v) ? v : null
}

/** The currencies offered first for a workspace (any ISO 4217 code can be typed). */
export const CURRENCIES = ['BRL', 'USD', 'EUR', 'GBP', 'ARS', 'MXN', 'CLP', 'COP', 'PEN', 'UYU', 'CAD', 'AUD', 'CHF', 'JPY'] as const

/** The largest logo the server keeps, as a data URL. */
export const LOGO_MAX_BYTES = 256 * 1024
/** Raster logos are scaled down to fit this square before upload. */
export const LOGO_SIDE = 256

/** The size to draw a `w`×`h` image at so it fits `side`×`side` (never enlarged). */
export function fitWithin(w: number, h: number, side = LOGO_SIDE): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(w, h, 1))
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) }
}
