import { useTranslation } from 'react-i18next'
import { Plus, X } from 'lucide-react'
import { useTags } from '@/api/hooks/tags'
import { TagPicker } from '@/components/tags/TagPicker'

/** A record's tags as chips: remove one with its ×, add existing or new ones with the picker. */
export function RecordTags({ tags, onSave, busy }: { tags: string[]; onSave: (tags: string[]) => void; busy?: boolean }) {
  const { t } = useTranslation()
  const colors = new Map((useTags().data ?? []).map((tag) => [tag.name, tag.color]))
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-start gap-2 py-1" data-testid="record-tags">
      <span className="pt-1.5 text-xs text-muted-foreground">{t('deal.tags')}</span>
      <div className="flex flex-wrap items-center gap-1.5">
        {tags.map((tag) => (
          <span key={tag} className="inline-flex h-6 items-center gap-1 rounded-full border bg-secondary pl-2 pr-1 text-xs font-medium">
            <span className="size-1.5 rounded-full" style={{ background: colors.get(tag) ?? 'var(--muted-foreground)' }} aria-hidden />
            {tag}
            <button
              type="button"
              disabled={busy}
              onClick={() => onSave(tags.filter((x) => x !== tag))}
              aria-label={t('deal.removeTag', { tag })}
              className="rounded-full p-0.5 text-muted-foreground hover:bg-background hover:text-foreground"
            >
              <X className="size-3" />
            </button>
          </span>
        ))}
        <TagPicker value={tags} onChange={onSave} allowCreate label={t('deal.addTag')}>
          <button
            type="button"
            disabled={busy}
            className="inline-flex h-6 items-center gap-1 rounded-full border border-dashed px-2 text-xs text-muted-foreground hover:bg-accent hover:text-foreground"
          >
            <Plus className="size-3" />
            {t('deal.addTag')}
          </button>
        </TagPicker>
      </div>
    </div>
  )
}
