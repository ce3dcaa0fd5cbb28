import { useEffect, useState } from 'react'
import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useTranslation } from 'react-i18next'
import { GripVertical, Trash2 } from 'lucide-react'
import type { Stage } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Input, NativeSelect } from '@/components/ui/input'
import type { StageInput } from './usePipelineAdmin'

export const STAGE_KINDS = ['open', 'closed', 'won', 'lost'] as const

/** One stage: drag handle, color, name, probability, kind, delete. Fields save when they lose focus. */
export function StageRow({ stage, onSave, onDelete }: { stage: Stage; onSave: (body: StageInput) => void; onDelete: () => void }) {
  const { t } = useTranslation()
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: stage.id })
  const [name, setName] = useState(stage.name)
  const [probability, setProbability] = useState(String(stage.probability))
  useEffect(() => setName(stage.name), [stage.name])
  useEffect(() => setProbability(String(stage.probability)), [stage.probability])

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`flex flex-wrap items-center gap-2 border-b bg-card px-3 py-2 last:border-b-0 ${isDragging ? 'relative z-10 shadow-lg' : ''}`}
      data-testid="stage-row"
      data-stage-name={stage.name}
    >
      <button
        type="button"
        {...attributes}
        {...listeners}
        aria-label={t('settings.dragStage', { name: stage.name })}
        className="cursor-grab rounded p-1 text-muted-foreground hover:bg-accent active:cursor-grabbing"
      >
        <GripVertical className="size-4" />
      </button>
      <input
        type="color"
        aria-label={t('settings.stageColor', { name: stage.name })}
        value={stage.color}
        onChange={(e) => onSave({ color: e.target.value })}
        className="size-7 cursor-pointer rounded border bg-transparent p-0.5"
      />
      <Input
        aria-label={t('settings.stageName')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => name.trim() && name !== stage.name && onSave({ name: name.trim() })}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        className="h-8 min-w-0 flex-1 basis-40 text-[13px]"
      />
      <div className="flex items-center gap-1">
        <Input
          aria-label={t('settings.probabilityOf', { name: stage.name })}
          type="number"
          min={0}
          max={100}
          value={probability}
          onChange={(e) => setProbability(e.target.value)}
          onBlur={() => probability !== String(stage.probability) && onSave({ probability: Math.round(Number(probability)) })}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
          className="h-8 w-16 text-right text-[13px] tabular-nums"
        />
        <span className="text-xs text-muted-foreground">%</span>
      </div>
      <NativeSelect
        aria-label={t('settings.kindOf', { name: stage.name })}
        value={stage.kind}
        onChange={(e) => onSave({ kind: e.target.value as StageInput['kind'] })}
        className="h-8 text-[13px]"
      >
        {STAGE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`settings.kinds.${k}`)}
          </option>
        ))}
      </NativeSelect>
      <Button variant="ghost" size="icon-sm" aria-label={t('settings.deleteStage', { name: stage.name })} onClick={onDelete}>
        <Trash2 />
      </Button>
    </li>
  )
}
