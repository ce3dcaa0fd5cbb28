import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useLocation } from 'react-router-dom'
import { commentAnchor } from '@/lib/recordLinks'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Loader2 } from 'lucide-react'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { fieldErrors } from '@/api/errors'
import { useMembers } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { Button } from '@/components/ui/button'
import { Textarea } from '@/components/ui/input'
import { Avatar, Card } from '@/components/ui/misc'
import { relativeTime } from '@/lib/format'
import { insertMention, matchPeople, mentionQuery, mentionedIds, type Person } from '@/lib/mentions'
import { cn } from '@/lib/utils'

type Field = 'lead_id' | 'contact_id' | 'company_id' | 'project_id'

/** Comments on a record; typing @ suggests teammates, who are notified. */
export function RecordComments({ field, id }: { field: Field; id: string }) {
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const members = useMembers()
  const people: Person[] = useMemo(() => (members.data ?? []).map((m) => ({ id: m.user_id, name: m.name })), [members.data])
  const byId = new Map(people.map((p) => [p.id, p.name]))

  const comments = useQuery({
    queryKey: [org, 'comments', field, id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/comments', {
          params: { query: { [`${field}[eq]`]: id, sort: 'created_at', limit: 200 } as { sort: string } },
        }),
      ).data,
    enabled: !!org,
  })

  // A notification's link names a comment (`#comment-<id>`): it is scrolled to and marked.
  const hash = useLocation().hash
  useEffect(() => {
    if (!hash.startsWith('#comment-') || !comments.data) return
    document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'center' })
  }, [hash, comments.data])

  const [text, setText] = useState('')
  const [picked, setPicked] = useState<Person[]>([])
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null)
  const [active, setActive] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  // Where the caret goes once a chosen mention is in the box.
  const caretAfter = useRef<number | null>(null)
  const suggestions = mention ? matchPeople(people, mention.query) : []

  const send = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/comments', {
          body: { body: text.trim(), [field]: id, mentions: mentionedIds(text, picked) },
        }),
      ),
    onSuccess: () => {
      setText('')
      setPicked([])
      setError(null)
      void qc.invalidateQueries({ queryKey: [org, 'comments', field, id] })
      void qc.invalidateQueries({ queryKey: [org, 'timeline', id] })
    },
    onError: (e) => setError(fieldErrors(e, []).form),
  })

  const choose = (p: Person) => {
    const el = box.current
    if (!el || !mention) return
    const next = insertMention(text, mention.start, el.selectionStart, p)
    caretAfter.current = next.caret
    setText(next.text)
    setPicked((prev) => [...prev, p])
    setMention(null)
  }

  // Placed as the new text is committed, before the next key is handled: a
  // caret set a frame later (as it was) landed behind what was typed in
  // between, and the rest of the comment came out scrambled.
  useLayoutEffect(() => {
    const el = box.current
    if (el && caretAfter.current !== null) {
      el.focus()
      el.setSelectionRange(caretAfter.current, caretAfter.current)
      caretAfter.current = null
    }
  }, [text])

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length)
        return
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault()
        choose(suggestions[Math.min(active, suggestions.length - 1)])
        return
      }
      if (e.key === 'Escape') {
        setMention(null)
        return
      }
    }
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && text.trim()) send.mutate()
  }

  return (
    <Card className="p-4" data-testid="record-comments">
      <h2 className="mb-2 text-sm font-semibold">{t('comments.title')}</h2>
      <ul className="mb-3 space-y-3">
        {comments.data?.map((c) => (
          <li
            key={c.id}
            id={commentAnchor(c.id)}
            className={cn(
              'flex gap-2 rounded-md transition-colors',
              hash === `#${commentAnchor(c.id)}` && 'bg-primary/10 ring-4 ring-primary/10',
            )}
          >
            <Avatar name={(c.created_by && byId.get(c.created_by)) || '?'} />
            <div className="min-w-0 flex-1">
              <div className="flex items-baseline gap-2 text-xs">
                <span className="font-medium">{(c.created_by && byId.get(c.created_by)) || t('timeline.someone')}</span>
                <time className="text-muted-foreground" dateTime={c.created_at}>
                  {relativeTime(c.created_at, i18n.language)}
                </time>
              </div>
              <p className="whitespace-pre-wrap break-words text-[13px]">
                {highlight(c.body, c.mentions.map((m) => byId.get(m)).filter(Boolean) as string[])}
              </p>
            </div>
          </li>
        ))}
        {comments.data?.length === 0 && <li className="text-[13px] text-muted-foreground">{t('comments.none')}</li>}
      </ul>
      <form
        className="relative"
        onSubmit={(e) => {
          e.preventDefault()
          if (text.trim()) send.mutate()
        }}
      >
        <Textarea
          ref={box}
          aria-label={t('comments.write')}
          placeholder={t('comments.placeholder')}
          value={text}
          rows={2}
          className="min-h-[60px] text-[13px]"
          aria-autocomplete="list"
          aria-expanded={suggestions.length > 0}
          aria-controls="mention-list"
          onKeyDown={onKeyDown}
          onChange={(e) => {
            setText(e.target.value)
            setMention(mentionQuery(e.target.value, e.target.selectionStart))
            setActive(0)
          }}
        />
        {suggestions.length > 0 && (
          <ul
            id="mention-list"
            role="listbox"
            aria-label={t('comments.mention')}
            className="absolute left-0 top-full z-20 mt-1 w-60 rounded-lg border bg-popover p-1 shadow-lg"
          >
            {suggestions.map((p, i) => (
              <li
                key={p.id}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault()
                  choose(p)
                }}
                className={cn('flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-[13px]', i === active && 'bg-accent')}
              >
                <Avatar name={p.name} className="size-5 text-[9px]" />
                {p.name}
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs text-destructive">
            {error}
          </p>
        )}
        <div className="mt-2 flex justify-end">
          <Button type="submit" size="sm" className="h-7" disabled={send.isPending || !text.trim()}>
            {send.isPending && <Loader2 className="animate-spin" />}
            {t('comments.send')}
          </Button>
        </div>
      </form>
    </Card>
  )
}

/** Shows each `@Name` of a mentioned person as a chip. */
function highlight(body: string, names: string[]) {
  if (names.length === 0) return body
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const parts = body.split(new RegExp(`(@(?:${escaped.join('|')}))`, 'g'))
  return parts.map((part, i) =>
    i % 2 === 1 ? (
      <span key={i} className="rounded bg-primary/10 px-0.5 font-medium text-primary">
        {part}
      </span>
    ) : (
      part
    ),
  )
}
