import { useRouteError } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { AlertTriangle } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/misc'

/** Error boundary of a route: a crash shows this instead of a blank page. */
export function RouteError() {
  const error = useRouteError()
  const { t } = useTranslation()
  console.error(error)
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <AlertTriangle className="size-8 text-destructive" />
      <h1 className="text-lg font-semibold">{t('errors.crashTitle')}</h1>
      <p className="max-w-md text-sm text-muted-foreground">{t('errors.crashBody')}</p>
      <Button variant="outline" onClick={() => window.location.reload()}>
        {t('errors.reload')}
      </Button>
    </div>
  )
}

export function PageFallback() {
  return (
    <div className="space-y-3 p-6">
      <Skeleton className="h-7 w-48" />
      <Skeleton className="h-4 w-72" />
      <Skeleton className="mt-6 h-64 w-full" />
    </div>
  )
}
