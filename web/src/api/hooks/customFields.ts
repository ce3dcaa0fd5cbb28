import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../client'
import { unwrap } from '../problem'
import type { components } from '../schema'
import { useCurrentOrgId } from './session'

export type FieldDefinition = components['schemas']['Definition']
export type FieldKind = components['schemas']['Kind']
export type CreateFieldDefinition = components['schemas']['CreateDefinition']
export type PatchFieldDefinition = components['schemas']['PatchDefinition']

export const FIELD_KINDS: FieldKind[] = ['text', 'number', 'date', 'select', 'multi_select', 'checkbox', 'url', 'email']
export const FIELD_ENTITIES = ['contact', 'company', 'lead', 'project', 'task'] as const
export type FieldEntity = (typeof FIELD_ENTITIES)[number]

/** Every custom field of the organization, sorted by position; filter by entity where shown. */
export function useCustomFields() {
  const org = useCurrentOrgId()
  return useQuery({
    queryKey: [org, 'custom-fields'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/custom-fields')).data.sort((a, b) => a.position - b.position || a.label.localeCompare(b.label)),
    enabled: !!org,
    staleTime: 60_000,
  })
}

export function useCustomFieldsFor(entity: FieldEntity) {
  const all = useCustomFields()
  return { ...all, data: all.data?.filter((d) => d.entity_type === entity) }
}

export function useCustomFieldMutations() {
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const refresh = () => qc.invalidateQueries({ queryKey: [org, 'custom-fields'] })
  const create = useMutation({
    mutationFn: async (body: CreateFieldDefinition) => unwrap(await api.POST('/api/v1/custom-fields', { body })),
    onSuccess: refresh,
  })
  const patch = useMutation({
    mutationFn: async ({ def, body }: { def: FieldDefinition; body: PatchFieldDefinition }) =>
      unwrap(
        await api.PATCH('/api/v1/custom-fields/{id}', {
          params: { header: { 'If-Match': `"${def.version}"` }, path: { id: def.id } },
          body,
        }),
      ),
    onSettled: refresh,
  })
  const remove = useMutation({
    mutationFn: async (def: FieldDefinition) =>
      unwrap(
        await api.DELETE('/api/v1/custom-fields/{id}', {
          params: { header: { 'If-Match': `"${def.version}"` }, path: { id: def.id } },
        }),
      ),
    onSettled: refresh,
  })
  return { create, patch, remove }
}

/** "Budget (R$)" → "budget_r": the key a label suggests (letters, digits, `_`, starting with a letter). */
export function keyFromLabel(label: string): string {
  const slug = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
  return slug.slice(0, 48)
}

/** The fields a new record of this type must have (shown in its create form). */
export function useRequiredCustomFields(entity: FieldEntity) {
  const { data } = useCustomFieldsFor(entity)
  return (data ?? []).filter((d) => d.required)
}
