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

/** Throws an ApiError for an openapi-fetch result that failed; returns its data otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data
  if (result.response.ok) return undefined as T
  throw new ApiError(result.response.status, (result.error as Problem) ?? null)
}
