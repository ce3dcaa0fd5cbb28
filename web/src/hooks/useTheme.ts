import { useSyncExternalStore } from 'react'

export type Theme = 'light' | 'dark' | 'system'
const KEY = 'lovedcrm.theme'
const THEMES: Theme[] = ['light', 'dark', 'system']

function read(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null
  return THEMES.includes(saved as Theme) ? (saved as Theme) : 'system'
}

let current: Theme = read()
const listeners = new Set<() => void>()

function apply(theme: Theme) {
  if (typeof document === 'undefined') return
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches)
  document.documentElement.classList.toggle('dark', !!dark)
}

/** Sets the theme of this browser at once (every `useTheme` follows) and remembers it. */
export function setTheme(theme: Theme) {
  if (!THEMES.includes(theme)) return
  localStorage.setItem(KEY, theme)
  current = theme
  apply(theme)
  for (const l of listeners) l()
}

if (typeof window !== 'undefined') {
  apply(current)
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => current === 'system' && apply('system'))
  // Another tab changed it.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) {
      current = read()
      apply(current)
      for (const l of listeners) l()
    }
  })
}

function subscribe(l: () => void) {
  listeners.add(l)
  return () => listeners.delete(l)
}

export function useTheme() {
  const theme = useSyncExternalStore(subscribe, () => current)
  return { theme, setTheme }
}
