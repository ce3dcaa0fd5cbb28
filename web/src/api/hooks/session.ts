import { useSyncExternalStore } from 'react'
import { currentOrgId, readSession, subscribeOrg, subscribeSession } from '../session'

let cached = readSession()
subscribeSession((s) => {
  cached = s
})

/** The signed-in session, or null; re-renders on sign-in, refresh and sign-out (any tab). */
export function useSession() {
  return useSyncExternalStore(
    (l) => subscribeSession(() => l()),
    () => cached,
  )
}

export function useCurrentOrgId(): string | null {
  return useSyncExternalStore(subscribeOrg, currentOrgId)
}
