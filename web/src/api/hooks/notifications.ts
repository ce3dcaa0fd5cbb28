import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../client'
import { unwrap } from '../problem'
import { toastError } from '../errors'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

export type Notification = components['schemas']['Notification']

export function notificationsKey(org: string | null) {
  return [org, 'notifications'] as const
}

/** How many of my notifications are unread (the bell's badge); `notification.created` refreshes it. */
export function useUnreadCount() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [...notificationsKey(org), 'unread-count'],
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread-count')).count,
    enabled: !!org,
    staleTime: 60_000,
  })
}

/** My latest notifications, newest first; loaded when the list is opened. */
export function useNotifications(enabled: boolean) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [...notificationsKey(org), 'list'],
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit: 20, sort: '-created_at' } } })).data,
    enabled: !!org && enabled,
    staleTime: 30_000,
  })
}

/** Marks one notification read, or all of them; the list and the badge change at once. */
export function useMarkRead() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  const key = notificationsKey(org)
  const listKey = [...key, 'list']
  const countKey = [...key, 'unread-count']
  const settle = () => qc.invalidateQueries({ queryKey: key })
  const optimistic = (which: string | null) => {
    const now = new Date().toISOString()
    const list = qc.getQueryData<Notification[]>(listKey)
    const unread = (n: Notification) => !n.read_at && (which === null || n.id === which)
    const marked = list?.filter(unread).length ?? 0
    qc.setQueryData<Notification[]>(listKey, (l) => l?.map((n) => (unread(n) ? { ...n, read_at: now } : n)))
    qc.setQueryData<number>(countKey, (c) => (c === undefined ? c : which === null ? 0 : Math.max(0, c - (marked || 1))))
  }
  const one = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onMutate: (id) => optimistic(id),
    onError: (e) => toastError(e, t('notifications.markFailed')),
    onSettled: settle,
  })
  const all = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')),
    onMutate: () => optimistic(null),
    onError: (e) => toastError(e, t('notifications.markFailed')),
    onSettled: settle,
  })
  return { one, all }
}
