import { useEffect } from 'react'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { wsUrl } from '@/config'
import { api } from '@/api/client'

/** While a card is being dragged, refetching the board would yank it away; events wait. */
let paused = false
let pending = false
let flush: (() => void) | null = null

export function pauseLiveUpdates(on: boolean) {
  paused = on
  if (!on && pending) {
    pending = false
    flush?.()
  }
}

interface OrgEvent {
  type: string
  entity_type?: string
  entity_id?: string
}

function invalidateFor(qc: QueryClient, org: string, ev: OrgEvent) {
  const type = ev.entity_type ?? ev.type.split('.')[0]
  if (ev.type === 'resync') {
    void qc.invalidateQueries({ queryKey: [org] })
    return
  }
  if (type === 'notification') {
    // A mention or a share for me: the bell's count and list.
    void qc.invalidateQueries({ queryKey: [org, 'notifications'] })
    return
  }
  if (type === 'event' || type === 'task') {
    // The calendar and the dashboard's agenda show events and tasks with due dates.
    void qc.invalidateQueries({ queryKey: [org, 'calendar'] })
  }
  if (type === 'lead' || type === 'communication' || type === 'task') {
    void qc.invalidateQueries({ queryKey: [org, 'dashboard'] })
  }
  if (type === 'lead') {
    void qc.invalidateQueries({ queryKey: [org, 'board'] })
    void qc.invalidateQueries({ queryKey: [org, 'list', 'leads'] })
    if (ev.entity_id) {
      void qc.invalidateQueries({ queryKey: [org, 'lead', ev.entity_id] })
      void qc.invalidateQueries({ queryKey: [org, 'timeline', ev.entity_id] })
    }
  } else if (type === 'communication') {
    void qc.invalidateQueries({ queryKey: [org, 'timeline'] })
    void qc.invalidateQueries({ queryKey: [org, 'board'] })
  } else if (type === 'task') {
    void qc.invalidateQueries({ queryKey: [org, 'tasks'] })
    void qc.invalidateQueries({ queryKey: [org, 'list', 'tasks'] })
  } else if (type === 'comment') {
    void qc.invalidateQueries({ queryKey: [org, 'comments'] })
    void qc.invalidateQueries({ queryKey: [org, 'timeline'] })
  } else if (type === 'contact' || type === 'company') {
    void qc.invalidateQueries({ queryKey: [org, 'list', `${type === 'company' ? 'companies' : 'contacts'}`] })
  }
}

/**
 * Listens to the organization's WebSocket and refreshes what an event touches,
 * so a teammate's move shows without reloading. Reconnects with backoff.
 */
export function useOrgEvents(org: string | null) {
  const qc = useQueryClient()
  useEffect(() => {
    if (!org) return
    let socket: WebSocket | null = null
    let closed = false
    let attempt = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const queue: OrgEvent[] = []

    flush = () => {
      while (queue.length) invalidateFor(qc, org, queue.shift()!)
    }

    const retry = () => {
      if (closed) return
      attempt += 1
      const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))
      timer = setTimeout(connect, delay)
    }

    // A ticket first, over an ordinary request: it refreshes an old token or
    // signs out an ended session like any other call, and no token goes into
    // the socket's URL (where proxies log it).
    const connect = async () => {
      let ticket: string
      try {
        const res = await api.POST('/api/v1/ws/ticket', {})
        if (!res.data) {
          // Signed out (the app goes to the login page) or refused: try later.
          if (res.response.status !== 401) retry()
          return
        }
        ticket = res.data.ticket
      } catch {
        retry()
        return
      }
      if (closed) return
      const url = wsUrl(`/api/v1/ws?ticket=${encodeURIComponent(ticket)}&org_id=${encodeURIComponent(org)}`)
      socket = new WebSocket(url)
      socket.onopen = () => {
        attempt = 0
      }
      socket.onmessage = (msg) => {
        let ev: OrgEvent
        try {
          ev = JSON.parse(String(msg.data)) as OrgEvent
        } catch {
          return
        }
        if (ev.type === 'ready' || ev.type === 'pong') return
        queue.push(ev)
        if (paused) pending = true
        else flush?.()
      }
      socket.onclose = retry
    }
    void connect()
    const ping = setInterval(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }))
    }, 25_000)
    return () => {
      closed = true
      clearTimeout(timer)
      clearInterval(ping)
      socket?.close()
      flush = null
    }
  }, [org, qc])
}
