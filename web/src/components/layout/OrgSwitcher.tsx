import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { Check, ChevronsUpDown } from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { switchOrg } from '@/api/session'
import { initials } from '@/lib/utils'
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'

/** The organization's mark and name, top-left; switches between the user's organizations. */
export function OrgSwitcher() {
  const { t } = useTranslation()
  const { data: orgs } = useOrganizations()
  const orgId = useCurrentOrgId()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const current = orgs?.find((o) => o.id === orgId)

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full min-w-0 items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
        aria-label={t('org.switch')}
      >
        <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-primary text-[11px] font-bold text-primary-foreground">
          {initials(current?.name ?? '')}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[13px] font-semibold" data-testid="org-name">
            {current?.name ?? '…'}
          </span>
          <span className="block truncate text-[11px] capitalize text-muted-foreground">
            {current ? t(`roles.${current.role}`, { defaultValue: current.role }) : ''}
          </span>
        </span>
        <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>{t('org.yours')}</DropdownMenuLabel>
        {orgs?.map((o) => (
          <DropdownMenuItem
            key={o.id}
            onSelect={() => {
              if (o.id === orgId) return
              switchOrg(o.id)
              qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'organizations' })
              navigate('/pipeline')
            }}
          >
            <span className="flex size-5 items-center justify-center rounded bg-muted text-[9px] font-bold">{initials(o.name)}</span>
            <span className="truncate">{o.name}</span>
            {o.id === orgId && <Check className="ml-auto !text-foreground" />}
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
