import { useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import { fieldErrors } from '@/api/errors'
import { saveSession, sessionFromTokens, switchOrg, type TokenResponse } from '@/api/session'

/** Submits an auth form; on success stores the session and returns to `?next=`. */
export function useAuthSubmit(fields: readonly string[]) {
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const qc = useQueryClient()

  /** `call` resolves the tokens, or null when the form goes on (a second step) without signing in yet. */
  const submit = async (call: () => Promise<TokenResponse | null>, clientErrors: Record<string, string>) => {
    setErrors(clientErrors)
    setFormError(null)
    if (Object.keys(clientErrors).length > 0) return
    setBusy(true)
    try {
      const tokens = await call()
      if (!tokens) return
      qc.clear()
      if (tokens.organization) switchOrg(tokens.organization.id)
      saveSession(sessionFromTokens(tokens))
      const next = params.get('next')
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true })
    } catch (e) {
      const mapped = fieldErrors(e, fields)
      setErrors(mapped.fields)
      setFormError(mapped.form)
    } finally {
      setBusy(false)
    }
  }
  return { errors, formError, busy, submit }
}
