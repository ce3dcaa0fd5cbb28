import { describe, expect, it } from 'vitest'
import { ApiError, fieldErrors, type Problem } from './problem'

const problem = (errors: { field: string; message: string }[], detail = 'The request has invalid fields'): Problem => ({
  type: 'urn:lovedcrm:problem:validation_failed',
  title: 'Unprocessable Entity',
  status: 422,
  detail,
  code: 'validation_failed',
  errors,
})

describe('problem+json → form errors', () => {
  it('puts each field error under its field', () => {
    const e = new ApiError(
      422,
      problem([
        { field: 'email', message: 'must be a valid email address' },
        { field: 'password', message: 'must be at least 10 characters' },
      ]),
    )
    expect(fieldErrors(e, ['email', 'password', 'name'])).toEqual({
      fields: { email: 'must be a valid email address', password: 'must be at least 10 characters' },
      form: null,
    })
  })

  it('keeps errors of fields the form does not show, so nothing is lost', () => {
    const e = new ApiError(
      422,
      problem([
        { field: 'email', message: 'taken' },
        { field: 'tags[0]', message: 'too long' },
      ]),
    )
    expect(fieldErrors(e, ['email'])).toEqual({ fields: { email: 'taken' }, form: 'tags[0]: too long' })
  })

  it('maps nested field paths to their top-level field', () => {
    const e = new ApiError(422, problem([{ field: 'custom_fields.budget', message: 'must be a number' }]))
    expect(fieldErrors(e, ['custom_fields']).fields).toEqual({ custom_fields: 'must be a number' })
  })

  it('shows the detail when there are no field errors (e.g. 409, 401)', () => {
    const e = new ApiError(409, { ...problem([], 'an account with this email already exists'), status: 409, code: 'conflict' })
    expect(fieldErrors(e, ['email'])).toEqual({ fields: {}, form: 'an account with this email already exists' })
  })

  it('handles network errors and non-problem bodies', () => {
    expect(fieldErrors(new TypeError('Failed to fetch'), ['email'])).toEqual({ fields: {}, form: 'Failed to fetch' })
    expect(fieldErrors(new ApiError(502, null), []).form).toBe('HTTP 502')
  })
})
