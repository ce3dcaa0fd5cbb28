/**
 * "New lead / contact / company / task" asked for from anywhere (the command
 * palette): the shell shows that dialog over the current page.
 */
import { useSyncExternalStore } from 'react'
import type { CreateKind } from '@/lib/paletteActions'

let current: CreateKind | null = null
const listeners = new Set<() => void>()

function set(next: CreateKind | null) {
  current = next
  for (const l of listeners) l()
}

export const openCreate = (kind: CreateKind) => set(kind)
export const closeCreate = () => set(null)

export function useQuickCreate(): CreateKind | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => current,
  )
}
