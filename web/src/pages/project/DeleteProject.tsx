import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Trash2 } from 'lucide-react'
import { api } from '@/api/client'
import { toastError } from '@/api/errors'
import { unwrap } from '@/api/problem'
import { useCurrentOrgId } from '@/api/hooks/session'
import type { Project } from '@/api/types'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm'

/** Deletes the project (after asking), then goes back to the list. */
export function DeleteProject({ project }: { project: Project }) {
  const { t } = useTranslation()
  const org = useCurrentOrgId()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/projects/{id}', {
          params: { header: { 'If-Match': `"${project.version}"` }, path: { id: project.id } },
        }),
      ),
    onSuccess: () => {
      toast.success(t('projects.deleted', { name: project.name }))
      void qc.invalidateQueries({ queryKey: [org, 'list', 'projects'] })
      void qc.invalidateQueries({ queryKey: [org, 'picker', 'projects'] })
      void qc.invalidateQueries({ queryKey: [org, 'tasks'] })
      qc.removeQueries({ queryKey: [org, 'project', project.id] })
      navigate('/projects')
    },
    onError: (e) => {
      setOpen(false)
      toastError(e, t('projects.deleteFailed'))
      void qc.invalidateQueries({ queryKey: [org, 'project', project.id] })
    },
  })
  return (
    <>
      <Button variant="outline" size="sm" className="text-destructive hover:text-destructive" onClick={() => setOpen(true)}>
        <Trash2 />
        {t('projects.delete')}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={t('projects.deleteTitle', { name: project.name })}
        body={t('projects.deleteBody')}
        confirmLabel={t('projects.delete')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </>
  )
}
