import { useTranslation } from 'react-i18next'
import { Check, ChevronsUpDown } from 'lucide-react'
import { useOrganizations } from '@/api/hooks/orgs'
import { useCurrentOrgId } from '@/api/hooks/session'
import { useSwitchOrg } from './useSwitchOrg'
import { useWorkspace } from '@/api/hooks/workspace'
import { WorkspaceMark } from './WorkspaceMark'
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'

/** The organization's mark and name, top-left; switches between the user's organizations. */
export function OrgSwitcher() {
  const { t } = useTranslation()
  const { data: orgs } = useOrganizations()
  const orgId = useCurrentOrgId()
  const switchTo = useSwitchOrg()
  const current = orgs?.find((o) => o.id === orgId)
  const workspace = useWorkspace().data

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full min-w-0 items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
        aria-label={t('org.switch')}
      >
        <WorkspaceMark name={workspace?.name ?? current?.name ?? ''} logo={workspace?.logo} color={workspace?.brand_color} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[13px] font-semibold" data-testid="org-name">
            {workspace?.name ?? current?.name ?? '…'}
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
              switchTo(o.id)
            }}
          >
            <WorkspaceMark name={o.name} logo={o.id === orgId ? workspace?.logo : null} className="size-5 rounded text-[9px]" />
            <span className="truncate">{o.name}</span>
            {o.id === orgId && <Check className="ml-auto !text-foreground" />}
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
