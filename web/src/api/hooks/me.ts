import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../client'
import { isApiError, unwrap } from '../problem'
import type { Preferences, PreferencesPatch } from '../types'
import { readSession, saveSession } from '../session'
import { useCurrentOrgId } from './session'

/** The signed-in user (name, email, whether it is verified). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/me')),
    staleTime: 60_000,
  })
}

export function useUpdateMe() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: { name: string }) => unwrap(await api.PATCH('/api/v1/users/me', { body })),
    onSuccess: (me) => {
      qc.setQueryData(['me'], me)
      void qc.invalidateQueries({ queryKey: ['me'] })
      // The account menu shows the name kept with the session.
      const s = readSession()
      if (s) saveSession({ ...s, user: { ...s.user, name: me.name } })
    },
  })
}

export function preferencesKey(org: string | null) {
  return [org, 'preferences'] as const
}

/** The user's preferences in the current organization (theme, language, timezone, notifications). */
export function usePreferences() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: preferencesKey(org),
    queryFn: async () => unwrap(await api.GET('/api/v1/users/me/preferences')),
    enabled: !!org,
    staleTime: 5 * 60_000,
    // An older server without preferences: nothing to follow.
    retry: (n, e) => !(isApiError(e) && e.status < 500) && n < 2,
  })
}

export function useUpdatePreferences() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const key = preferencesKey(org)
  const mutation = useMutation({
    // One at a time, in order: each PATCH starts from what the previous one saved.
    scope: { id: 'preferences' },
    mutationFn: async (body: PreferencesPatch) => unwrap(await api.PATCH('/api/v1/users/me/preferences', { body })),
    // Refused: show what the server has.
    onError: () => qc.invalidateQueries({ queryKey: key }),
    // While later changes wait their turn, the screen keeps showing them.
    onSuccess: (prefs) => {
      if (qc.isMutating({ predicate: (m) => m.options.scope?.id === 'preferences' }) <= 1) qc.setQueryData(key, prefs)
    },
  })
  // Shown at once, in the same event as the click: a controlled checkbox must not flicker back.
  const mutate: typeof mutation.mutate = (patch, options) => {
    const before = qc.getQueryData<Preferences>(key)
    if (before) qc.setQueryData(key, { ...before, ...patch })
    mutation.mutate(patch, options)
  }
  return { ...mutation, mutate }
}
