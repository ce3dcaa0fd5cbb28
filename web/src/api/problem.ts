import type { components } from './schema'

export type Problem = components['schemas']['Problem']
export type FieldError = components['schemas']['FieldError']

/** An API answer that was not a success, carrying its problem+json body. */
export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem | null

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail || problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }

  get code(): string | undefined {
    return this.problem?.code
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/**
 * Maps a problem's `errors: [{field, message}]` onto form fields. Fields the
 * form does not show (or a problem without field errors) go to `form`, so
 * nothing the server said is lost.
 */
export function fieldErrors(error: unknown, formFields: readonly string[]): { fields: Record<string, string>; form: string | null } {
  if (!isApiError(error)) {
    return { fields: {}, form: error instanceof Error ? error.message : String(error) }
  }
  const fields: Record<string, string> = {}
  const stray: string[] = []
  for (const e of error.problem?.errors ?? []) {
    const field = e.field.split(/[.[]/)[0]
    if (formFields.includes(field) && !fields[field]) fields[field] = e.message
    else stray.push(e.field ? `${e.field}: ${e.message}` : e.message)
  }
  let form: string | null = null
  if (stray.length > 0) form = stray.join(' · ')
  else if (Object.keys(fields).length === 0) form = error.problem?.detail || error.message
  return { fields, form }
}

/** Throws an ApiError for an openapi-fetch result that failed; returns its data otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data
  if (result.response.ok) return undefined as T
  throw new ApiError(result.response.status, (result.error as Problem) ?? null)
}
