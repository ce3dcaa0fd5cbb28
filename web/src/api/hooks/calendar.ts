import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

type S = components['schemas']
export type CalendarEvent = S['CalendarEvent']
export type Attendee = S['Attendee']
export type CreateEvent = S['CreateEvent']
export type PatchEvent = S['PatchEvent']
export type Occurrence = S['Occurrence']
export type EditScope = 'all' | 'this' | 'following'

/** Everything the calendar shows lives under this key; `event.*` and `task.*` refresh it. */
export function calendarKey(org: string | null) {
  return [org, 'calendar'] as const
}

/** Event occurrences and tasks with due dates between two instants (at most 100 days). */
export function useOccurrences(range: { from: string; to: string } | null, memberId: string | null, tasks: boolean) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [...calendarKey(org), 'occurrences', range?.from, range?.to, memberId, tasks],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/events/occurrences', {
          params: { query: { from: range!.from, to: range!.to, tasks, ...(memberId ? { member_id: memberId } : {}) } },
        }),
      ).data,
    enabled: !!org && !!range,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}

export function fetchEvent(id: string) {
  return api.GET('/api/v1/events/{id}', { params: { path: { id } } }).then(unwrap)
}

/** One event (the series, for an occurrence of one). */
export function useEvent(id: string | null) {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [...calendarKey(org), 'event', id],
    queryFn: () => fetchEvent(id!),
    enabled: !!org && !!id,
  })
}

export function useCreateEvent() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: CreateEvent) => unwrap(await api.POST('/api/v1/events', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: calendarKey(org) }),
  })
}

export interface EventEdit {
  id: string
  version: number
  patch: PatchEvent
  scope: EditScope
  /** The original start of the occurrence, for `this` and `following`. */
  occurrence?: string
}

function scopeQuery(scope: EditScope, occurrence?: string) {
  return scope === 'all' ? {} : { scope, occurrence: occurrence! }
}

/** PATCH /events/{id} with If-Match, for the whole series or from one occurrence. */
export async function patchEvent({ id, version, patch, scope, occurrence }: EventEdit): Promise<CalendarEvent> {
  return unwrap(
    await api.PATCH('/api/v1/events/{id}', {
      params: { path: { id }, header: { 'If-Match': `"${version}"` }, query: scopeQuery(scope, occurrence) },
      body: patch,
    }),
  )
}

export function usePatchEvent() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: patchEvent,
    onSettled: () => qc.invalidateQueries({ queryKey: calendarKey(org) }),
  })
}

export function useDeleteEvent() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ id, version, scope, occurrence }: Omit<EventEdit, 'patch'>) =>
      unwrap(
        await api.DELETE('/api/v1/events/{id}', {
          params: { path: { id }, header: { 'If-Match': `"${version}"` }, query: scopeQuery(scope, occurrence) },
        }),
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: calendarKey(org) }),
  })
}

/** My private calendar feed URL (for Google Calendar, Outlook, Apple Calendar…), or null. */
export function useCalendarFeed() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'calendar-feed'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/me/calendar-feed')),
    enabled: !!org,
  })
}

/** Creates the feed URL, or replaces it (the old one stops working); revokes it. */
export function useCalendarFeedActions() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const key = [org, 'calendar-feed']
  const rotate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/users/me/calendar-feed')),
    onSuccess: (feed) => qc.setQueryData(key, feed),
  })
  const revoke = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/users/me/calendar-feed')),
    onSuccess: () => qc.setQueryData(key, { url: null, created_at: null }),
  })
  return { rotate, revoke }
}

export type ImportResult = S['Imported']

/** Reads an .ics file's events into the calendar. */
export function useImportIcs() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (text: string) =>
      unwrap(
        await api.POST('/api/v1/events/import', {
          body: text as never,
          bodySerializer: (b: unknown) => b as string,
          headers: { 'content-type': 'text/calendar' },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: calendarKey(org) }),
  })
}

/** The events between two instants as an .ics file's text. */
export async function exportIcs(from: string, to: string): Promise<string> {
  const res = await api.GET('/api/v1/events/export.ics', { params: { query: { from, to } }, parseAs: 'text' })
  return unwrap(res) as unknown as string
}
