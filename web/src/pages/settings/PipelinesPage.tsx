import { useEffect, useState } from 'react'
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core'
import { SortableContext, arrayMove, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { useNavigate, useParams } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Plus, Star, Trash2 } from 'lucide-react'
import { usePipelines } from '@/api/hooks/pipelines'
import type { Stage } from '@/api/types'
import { Button } from '@/components/ui/button'
import { ConfirmButton } from '@/components/ui/confirm'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input, NativeSelect } from '@/components/ui/input'
import { Badge, Card, Skeleton } from '@/components/ui/misc'
import { StageRow } from './StageRow'
import { usePipelineAdmin } from './usePipelineAdmin'

/** Pipelines and their stages: add, rename, recolor, reorder by drag or keyboard, delete. */
export default function PipelinesPage() {
  const { t } = useTranslation()
  const { pipelineId } = useParams()
  const navigate = useNavigate()
  const pipelines = usePipelines()
  const admin = usePipelineAdmin()
  const pipeline = pipelines.data?.find((p) => p.id === pipelineId) ?? pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0]
  const [order, setOrder] = useState<string[]>([])
  const [newStage, setNewStage] = useState('')
  const [newPipeline, setNewPipeline] = useState('')
  const [name, setName] = useState('')
  const [deleting, setDeleting] = useState<Stage | null>(null)
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }))

  useEffect(() => {
    document.title = `${t('settings.pipelines')} · Loved CRM`
  }, [t])
  useEffect(() => {
    setOrder(pipeline?.stages.map((s) => s.id) ?? [])
    setName(pipeline?.name ?? '')
  }, [pipeline])

  if (!pipelines.data || !pipeline) return <Skeleton className="m-6 h-80" />
  const stages = new Map(pipeline.stages.map((s) => [s.id, s]))

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return
    const next = arrayMove(order, order.indexOf(String(active.id)), order.indexOf(String(over.id)))
    setOrder(next)
    admin.reorder.mutate({ pipelineId: pipeline.id, ids: next })
  }

  return (
    <div className="mx-auto max-w-4xl px-4 py-5 md:px-6">
      <div className="flex flex-wrap items-center gap-3">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">{t('settings.pipelines')}</h1>
          <p className="text-xs text-muted-foreground">{t('settings.pipelinesSubtitle')}</p>
        </div>
        <form
          className="ml-auto flex gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            if (!newPipeline.trim()) return
            admin.create.mutate(newPipeline.trim(), {
              onSuccess: (p) => {
                setNewPipeline('')
                navigate(`/settings/pipelines/${p.id}`)
              },
            })
          }}
        >
          <Input
            aria-label={t('settings.newPipeline')}
            placeholder={t('settings.newPipeline')}
            value={newPipeline}
            onChange={(e) => setNewPipeline(e.target.value)}
            className="h-8 w-44 text-[13px]"
          />
          <Button size="sm" type="submit" disabled={!newPipeline.trim()}>
            <Plus />
            {t('common.create')}
          </Button>
        </form>
      </div>

      <Card className="mt-5 p-4">
        <div className="flex flex-wrap items-center gap-2">
          {pipelines.data.length > 1 && (
            <NativeSelect
              aria-label={t('pipeline.select')}
              value={pipeline.id}
              onChange={(e) => navigate(`/settings/pipelines/${e.target.value}`)}
              className="h-8 text-[13px]"
            >
              {pipelines.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          )}
          <Input
            aria-label={t('settings.pipelineName')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => name.trim() && name !== pipeline.name && admin.patch.mutate({ pipeline, body: { name: name.trim() } })}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
            className="h-8 w-56 text-[13px] font-medium"
          />
          {pipeline.is_default ? (
            <Badge className="border-primary/30 bg-primary/10 text-primary">{t('settings.default')}</Badge>
          ) : (
            <Button variant="ghost" size="sm" onClick={() => admin.patch.mutate({ pipeline, body: { is_default: true } })}>
              <Star />
              {t('settings.makeDefault')}
            </Button>
          )}
          {pipelines.data.length > 1 && (
            <ConfirmButton
              variant="ghost"
              size="sm"
              className="ml-auto text-destructive hover:text-destructive"
              title={t('settings.deletePipeline')}
              body={t('settings.confirmDeletePipeline', { name: pipeline.name })}
              confirmLabel={t('settings.deletePipeline')}
              onConfirm={() => admin.remove.mutate(pipeline, { onSuccess: () => navigate('/settings/pipelines') })}
            >
              <Trash2 />
              {t('settings.deletePipeline')}
            </ConfirmButton>
          )}
        </div>

        <h2 className="mb-2 mt-5 text-sm font-semibold">{t('settings.stages')}</h2>
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext items={order} strategy={verticalListSortingStrategy}>
            <ul className="overflow-hidden rounded-lg border">
              {order.map((id) => {
                const stage = stages.get(id)
                return stage ? (
                  <StageRow
                    key={id}
                    stage={stage}
                    onSave={(body) => admin.patchStage.mutate({ stage, body })}
                    onDelete={() => setDeleting(stage)}
                  />
                ) : null
              })}
            </ul>
          </SortableContext>
        </DndContext>
        <form
          className="mt-3 flex gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            if (!newStage.trim()) return
            admin.addStage.mutate({ pipelineId: pipeline.id, body: { name: newStage.trim() } }, { onSuccess: () => setNewStage('') })
          }}
        >
          <Input
            aria-label={t('settings.newStage')}
            placeholder={t('settings.newStage')}
            value={newStage}
            onChange={(e) => setNewStage(e.target.value)}
            className="h-8 max-w-xs text-[13px]"
          />
          <Button variant="outline" size="sm" type="submit" disabled={!newStage.trim()}>
            <Plus />
            {t('settings.addStage')}
          </Button>
        </form>
        <p className="mt-3 text-xs text-muted-foreground">{t('settings.kindsHelp')}</p>
      </Card>
      {deleting && (
        <DeleteStageDialog
          stage={deleting}
          others={pipeline.stages.filter((s) => s.id !== deleting.id)}
          onCancel={() => setDeleting(null)}
          onConfirm={(target) => {
            admin.removeStage.mutate({ stage: deleting, target })
            setDeleting(null)
          }}
        />
      )}
    </div>
  )
}

/** Deleting a stage moves its leads to another stage first. */
function DeleteStageDialog({
  stage,
  others,
  onCancel,
  onConfirm,
}: {
  stage: Stage
  others: Stage[]
  onCancel: () => void
  onConfirm: (target: string | undefined) => void
}) {
  const { t } = useTranslation()
  const [target, setTarget] = useState(others[0]?.id ?? '')
  return (
    <Dialog open onOpenChange={(o) => !o && onCancel()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('settings.deleteStage', { name: stage.name })}</DialogTitle>
          <DialogDescription>{t('settings.deleteStageHelp')}</DialogDescription>
        </DialogHeader>
        <label className="grid gap-1.5 text-[13px] font-medium">
          {t('settings.moveLeadsTo')}
          <NativeSelect value={target} onChange={(e) => setTarget(e.target.value)}>
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NativeSelect>
        </label>
        <DialogFooter>
          <Button variant="outline" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button variant="destructive" onClick={() => onConfirm(target || undefined)} disabled={others.length === 0}>
            {t('lists.delete')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
