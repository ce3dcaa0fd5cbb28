import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { components } from '@/api/schema'
import type { Pipeline, Stage } from '@/api/types'
import { toastError } from '@/api/errors'

export type StageInput = components['schemas']['StageInput']
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` })

/** Every change to pipelines and stages: each refreshes the pipelines and the board, and toasts its failure. */
export function usePipelineAdmin() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const { t } = useTranslation()
  const settle = {
    onError: (e: unknown) => toastError(e, t('settings.changeFailed')),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: [org, 'pipelines'] })
      void qc.invalidateQueries({ queryKey: [org, 'board'] })
    },
  }
  return {
    create: useMutation({
      mutationFn: async (name: string) => unwrap(await api.POST('/api/v1/pipelines', { body: { name, is_default: false } })),
      ...settle,
    }),
    patch: useMutation({
      mutationFn: async ({ pipeline, body }: { pipeline: Pipeline; body: components['schemas']['PatchPipeline'] }) =>
        unwrap(
          await api.PATCH('/api/v1/pipelines/{id}', { params: { header: ifMatch(pipeline.version), path: { id: pipeline.id } }, body }),
        ),
      ...settle,
    }),
    remove: useMutation({
      mutationFn: async (pipeline: Pipeline) =>
        unwrap(await api.DELETE('/api/v1/pipelines/{id}', { params: { header: ifMatch(pipeline.version), path: { id: pipeline.id } } })),
      ...settle,
    }),
    addStage: useMutation({
      mutationFn: async ({ pipelineId, body }: { pipelineId: string; body: StageInput }) =>
        unwrap(await api.POST('/api/v1/pipelines/{id}/stages', { params: { path: { id: pipelineId } }, body })),
      ...settle,
    }),
    patchStage: useMutation({
      mutationFn: async ({ stage, body }: { stage: Stage; body: StageInput }) =>
        unwrap(
          await api.PATCH('/api/v1/pipelines/{id}/stages/{stage_id}', {
            params: { header: ifMatch(stage.version), path: { id: stage.pipeline_id, stage_id: stage.id } },
            body,
          }),
        ),
      ...settle,
    }),
    removeStage: useMutation({
      mutationFn: async ({ stage, target }: { stage: Stage; target?: string }) =>
        unwrap(
          await api.DELETE('/api/v1/pipelines/{id}/stages/{stage_id}', {
            params: {
              header: ifMatch(stage.version),
              path: { id: stage.pipeline_id, stage_id: stage.id },
              query: target ? { target_stage_id: target } : {},
            },
          }),
        ),
      ...settle,
    }),
    reorder: useMutation({
      mutationFn: async ({ pipelineId, ids }: { pipelineId: string; ids: string[] }) =>
        unwrap(
          await api.PUT('/api/v1/pipelines/{id}/stages/order', {
            params: { path: { id: pipelineId } },
            body: { stage_ids: ids },
          }),
        ),
      ...settle,
    }),
  }
}
