/** "Send feedback" asked for from anywhere (the user menu, the command palette): the shell shows the form. */
import { useSyncExternalStore } from 'react'

let open = false
const listeners = new Set<() => void>()

function set(next: boolean) {
  open = next
  for (const l of listeners) l()
}

export const openFeedback = () => set(true)
export const closeFeedback = () => set(false)

export function useFeedbackOpen(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => open,
  )
}
