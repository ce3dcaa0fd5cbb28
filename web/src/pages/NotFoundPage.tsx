import { Link } from 'react-router-dom'
import { useTranslation } from 'react-i18next'
import { FileQuestion } from 'lucide-react'
import { Button } from '@/components/ui/button'

export function NotFound({ title, body }: { title?: string; body?: string }) {
  const { t } = useTranslation()
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center" data-testid="not-found">
      <FileQuestion className="size-10 text-muted-foreground" />
      <h1 className="text-lg font-semibold">{title ?? t('errors.notFoundTitle')}</h1>
      <p className="max-w-sm text-sm text-muted-foreground">{body ?? t('errors.notFoundBody')}</p>
      <Button asChild variant="outline" className="mt-2">
        <Link to="/pipeline">{t('errors.backToPipeline')}</Link>
      </Button>
    </div>
  )
}

export default function NotFoundPage() {
  return <NotFound />
}
