import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { switchOrg } from '@/api/session'
import { useCurrentOrgId } from '@/api/hooks/session'

/** Switches to another of the user's organizations: its data replaces the last one's, and the board opens. */
export function useSwitchOrg() {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const current = useCurrentOrgId()
  return (id: string) => {
    if (id === current) return
    switchOrg(id)
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'organizations' && q.queryKey[0] !== 'me' })
    navigate('/pipeline')
  }
}
