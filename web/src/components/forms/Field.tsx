import { useId, type ReactElement, cloneElement } from 'react'
import { Label } from '@/components/ui/label'

/** A labelled control with its error message wired for screen readers. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string
  error?: string
  hint?: string
  children: ReactElement<Record<string, unknown>>
}) {
  const id = useId()
  const errId = `${id}-error`
  // content-start: beside a taller field (one with a hint or an error) in a
  // grid row, the label and the input stay at the top instead of spreading out.
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {cloneElement(children, {
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? errId : undefined,
      })}
      {error ? (
        <p id={errId} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs text-muted-foreground">{hint}</p>
      ) : null}
    </div>
  )
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <div role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-[13px] text-destructive">
      {message}
    </div>
  )
}
