import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Search, Tag, UserRound, X } from 'lucide-react'
import { useMembers } from '@/api/hooks/orgs'
import { TagPicker } from '@/components/tags/TagPicker'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import { hasFilters, type BoardFilters } from '@/lib/boardFilters'
import { cn } from '@/lib/utils'

/** The board's filters: my deals or a member's, tags, words; each change goes to the URL. */
export function BoardToolbar({ filters, onChange }: { filters: BoardFilters; onChange: (f: BoardFilters) => void }) {
  const { t } = useTranslation()
  const members = useMembers()
  const [text, setText] = useState(filters.q)

  // The URL follows the box after a short pause; the box follows the URL (back, a cleared filter).
  useEffect(() => setText(filters.q), [filters.q])
  useEffect(() => {
    if (text.trim() === filters.q) return
    const id = setTimeout(() => onChange({ ...filters, q: text.trim() }), 250)
    return () => clearTimeout(id)
  }, [text, filters, onChange])

  const mine = filters.owner === 'me'
  return (
    <div className="flex flex-wrap items-center gap-2 px-4 pb-3 md:px-6" role="search" aria-label={t('boardFilters.label')}>
      <div className="relative w-full sm:w-56">
        <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" />
        <Input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('boardFilters.search')}
          aria-label={t('boardFilters.search')}
          className="h-8 pl-8 text-[13px]"
          data-testid="board-search"
        />
      </div>
      <Button
        variant="outline"
        size="sm"
        aria-pressed={mine}
        onClick={() => onChange({ ...filters, owner: mine ? '' : 'me' })}
        className={cn(mine && 'border-primary/50 bg-primary/10 text-foreground')}
        data-testid="my-deals"
      >
        <UserRound />
        {t('boardFilters.mine')}
      </Button>
      <NativeSelect
        aria-label={t('boardFilters.owner')}
        value={filters.owner}
        onChange={(e) => onChange({ ...filters, owner: e.target.value })}
        className="h-8 max-w-[11rem] text-[13px]"
        data-testid="board-owner"
      >
        <option value="">{t('boardFilters.everyone')}</option>
        <option value="me">{t('boardFilters.me')}</option>
        {members.data?.map((m) => (
          <option key={m.user_id} value={m.user_id}>
            {m.name}
          </option>
        ))}
      </NativeSelect>
      <TagPicker value={filters.tags} onChange={(tags) => onChange({ ...filters, tags })} label={t('boardFilters.tags')}>
        <Button
          variant="outline"
          size="sm"
          data-testid="board-tags"
          className={cn(filters.tags.length > 0 && 'border-primary/50 bg-primary/10')}
        >
          <Tag />
          {filters.tags.length
            ? t('boardFilters.tagsCount', { count: filters.tags.length, list: filters.tags.join(', ') })
            : t('boardFilters.tags')}
        </Button>
      </TagPicker>
      {hasFilters(filters) && (
        <Button variant="ghost" size="sm" onClick={() => onChange({ owner: '', tags: [], q: '' })} data-testid="board-clear">
          <X />
          {t('boardFilters.clear')}
        </Button>
      )}
    </div>
  )
}
