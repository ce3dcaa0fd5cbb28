import { Link } from 'react-router-dom'
import { useRecordName, type RecordKind } from '@/api/hooks/recordNames'
import { cn } from '@/lib/utils'

/** A linked record's name (looked up by id, batched with the other rows), linking to its page. */
export function RecordLink({ kind, id, className }: { kind: RecordKind; id: string | null | undefined; className?: string }) {
  const name = useRecordName(kind, id)
  if (!id) return null
  if (!name.data) return <span className="h-3 w-20 animate-pulse rounded bg-muted" aria-hidden={name.isPending} />
  return (
    <Link
      to={`/${kind}/${id}`}
      onClick={(e) => e.stopPropagation()}
      className={cn('min-w-0 truncate hover:text-primary hover:underline', className)}
    >
      {name.data.name}
    </Link>
  )
}
