/** `data:` URLs: how large their content is once decoded. */

/** The server's limit for a feedback screenshot, decoded. */
export const SCREENSHOT_MAX_BYTES = 3 * 1024 * 1024

/** Bytes of a base64 `data:` URL's content (0 for anything else). */
export function dataUrlBytes(url: string): number {
  const i = url.indexOf(';base64,')
  if (!url.startsWith('data:') || i < 0) return 0
  const b64 = url.slice(i + 8).replace(/\s/g, '')
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  return Math.floor((b64.length * 3) / 4) - padding
}

/** The media type of a `data:` URL (`image/png`), or null. */
export function dataUrlType(url: string): string | null {
  const m = /^data:([^;,]+)[;,]/.exec(url)
  return m ? m[1] : null
}
