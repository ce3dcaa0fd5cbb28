import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { api } from '@/api/client'
import { unwrap } from '@/api/problem'
import { useStageMap } from '@/api/hooks/pipelines'
import { useCurrentOrgId } from '@/api/hooks/session'
import { Card, Skeleton } from '@/components/ui/misc'
import { formatMoney } from '@/lib/format'
import { StageBadge } from './badges'

/** The leads of a contact or company, each opening its page. */
export function RelatedLeads({ field, id }: { field: 'contact_id' | 'company_id'; id: string }) {
  const { t, i18n } = useTranslation()
  const org = useCurrentOrgId()
  const stages = useStageMap()
  const leads = useQuery({
    queryKey: [org, 'list', 'leads', { [`${field}[eq]`]: id }],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/leads', {
          params: { query: { [`${field}[eq]`]: id, sort: '-created_at', limit: 50 } as { sort: string } },
        }),
      ).data,
    enabled: !!org,
  })
  return (
    <Card className="p-4" data-testid="related-leads">
      <h2 className="mb-2 text-sm font-semibold">{t('nav.leads')}</h2>
      {leads.isPending ? (
        <Skeleton className="h-10" />
      ) : leads.data?.length ? (
        <ul className="-mx-1">
          {leads.data.map((l) => (
            <li key={l.id}>
              <Link to={`/leads/${l.id}`} className="flex items-center gap-2 rounded-md px-1 py-1.5 text-[13px] hover:bg-accent/60">
                <span className="min-w-0 flex-1 truncate font-medium">{l.title}</span>
                <StageBadge stage={stages.get(l.stage_id)} />
                {l.estimated_value != null && (
                  <span className="tabular-nums text-muted-foreground">{formatMoney(l.estimated_value, l.currency, i18n.language)}</span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="py-1 text-[13px] text-muted-foreground">{t('leads.noneHere')}</p>
      )}
    </Card>
  )
}
