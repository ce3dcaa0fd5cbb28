import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'

export function useTwoFactorStatus() {
  return useQuery({ queryKey: ['2fa'], queryFn: async () => unwrap(await api.GET('/api/v1/auth/2fa')) })
}

export function useSessions() {
  return useQuery({ queryKey: ['sessions'], queryFn: async () => unwrap(await api.GET('/api/v1/auth/sessions')) })
}

export function useSecurityMutations() {
  const qc = useQueryClient()
  const refresh2fa = () => qc.invalidateQueries({ queryKey: ['2fa'] })
  const refreshSessions = () => qc.invalidateQueries({ queryKey: ['sessions'] })
  return {
    setup: useMutation({ mutationFn: async () => unwrap(await api.POST('/api/v1/auth/2fa/setup')) }),
    confirm: useMutation({
      mutationFn: async (code: string) => unwrap(await api.POST('/api/v1/auth/2fa/confirm', { body: { code } })),
      onSuccess: refresh2fa,
    }),
    disable: useMutation({
      mutationFn: async (body: { password: string; code: string }) => unwrap(await api.POST('/api/v1/auth/2fa/disable', { body })),
      onSuccess: refresh2fa,
    }),
    regenerate: useMutation({
      mutationFn: async (body: { password: string; code: string }) => unwrap(await api.POST('/api/v1/auth/2fa/backup-codes', { body })),
      onSuccess: refresh2fa,
    }),
    changePassword: useMutation({
      mutationFn: async (body: { current_password: string; new_password: string }) =>
        unwrap(await api.POST('/api/v1/auth/password/change', { body })),
      onSuccess: refreshSessions,
    }),
    revoke: useMutation({
      mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } })),
      onSettled: refreshSessions,
    }),
    revokeOthers: useMutation({
      mutationFn: async () => unwrap(await api.POST('/api/v1/auth/sessions/revoke-others')),
      onSettled: refreshSessions,
    }),
  }
}
