/**
 * A screenshot of the page as the user sees it, taken in the browser
 * (modern-screenshot draws the DOM through SVG; loaded only when asked for,
 * so it is not in the initial bundle). Dialogs, menus and toasts live in
 * portals beside the app's root and are left out; so is anything marked
 * with `data-no-screenshot`.
 */
import { dataUrlBytes, SCREENSHOT_MAX_BYTES } from '@/lib/dataUrl'

export const NO_SCREENSHOT = 'data-no-screenshot'

export async function captureScreen(): Promise<string | null> {
  const root = document.getElementById('root')
  if (!root) return null
  const { domToJpeg, domToPng } = await import('modern-screenshot')
  const options = {
    width: window.innerWidth,
    height: window.innerHeight,
    backgroundColor: getComputedStyle(document.body).backgroundColor,
    filter: (node: Node) => !(node instanceof Element && node.hasAttribute(NO_SCREENSHOT)),
  }
  let url = await domToPng(root, { ...options, scale: 1 })
  // A busy page can make a large PNG: a JPEG of it, smaller if need be, fits the limit.
  if (dataUrlBytes(url) > SCREENSHOT_MAX_BYTES) url = await domToJpeg(root, { ...options, scale: 1, quality: 0.8 })
  if (dataUrlBytes(url) > SCREENSHOT_MAX_BYTES) url = await domToJpeg(root, { ...options, scale: 0.5, quality: 0.7 })
  return dataUrlBytes(url) > SCREENSHOT_MAX_BYTES ? null : url
}
