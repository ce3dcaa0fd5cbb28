import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Copy, Download } from 'lucide-react'
import { Button } from '@/components/ui/button'

/** Ten one-time codes, shown once: copy or download them before leaving. */
export function BackupCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation()
  const text = codes.join('\n')
  return (
    <div className="grid gap-3" data-testid="backup-codes">
      <p className="text-[13px] text-muted-foreground">{t('security.backupHelp')}</p>
      <ol className="grid grid-cols-2 gap-x-6 gap-y-1.5 rounded-lg border bg-muted/50 p-4 font-mono text-sm sm:grid-cols-2">
        {codes.map((c) => (
          <li key={c} data-testid="backup-code">
            {c}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={() =>
            navigator.clipboard.writeText(text).then(
              () => toast.success(t('common.copied')),
              () => toast.error(t('security.copyFailed')),
            )
          }
        >
          <Copy />
          {t('common.copy')}
        </Button>
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([`Loved CRM — ${t('security.backupCodes')}\n\n${text}\n`], { type: 'text/plain' }))
            const a = document.createElement('a')
            a.href = url
            a.download = 'lovedcrm-backup-codes.txt'
            a.click()
            URL.revokeObjectURL(url)
          }}
        >
          <Download />
          {t('security.download')}
        </Button>
      </div>
    </div>
  )
}
