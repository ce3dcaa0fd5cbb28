import { afterEach, describe, expect, it } from 'vitest'
import i18n from '@/i18n'
import { ApiError, type Problem } from './problem'
import { describeError, errorText, fieldErrors, fieldMessage } from './errors'

const problem = (errors: { field: string; message: string }[], detail = 'The request has invalid fields'): Problem => ({
  type: 'urn:lovedcrm:problem:validation_failed',
  title: 'Unprocessable Entity',
  status: 422,
  detail,
  code: 'validation_failed',
  errors,
})

const coded = (status: number, code: string, detail: string): ApiError =>
  new ApiError(status, { type: `urn:lovedcrm:problem:${code}`, title: 'Error', status, detail, code })

describe('problem+json → form errors', () => {
  afterEach(() => i18n.changeLanguage('en'))

  it('puts each field error under its field, translated', () => {
    const e = new ApiError(
      422,
      problem([
        { field: 'email', message: 'must be a valid email address' },
        { field: 'password', message: 'must be at least 10 characters long' },
      ]),
    )
    expect(fieldErrors(e, ['email', 'password', 'name'])).toEqual({
      fields: { email: 'Enter a valid email address', password: 'Too short (at least 10 characters)' },
      form: null,
    })
  })

  it('keeps errors of fields the form does not show, so nothing is lost', () => {
    const e = new ApiError(
      422,
      problem([
        { field: 'email', message: 'taken' },
        { field: 'tags[0]', message: 'is too long' },
      ]),
    )
    expect(fieldErrors(e, ['email'])).toEqual({ fields: { email: 'taken' }, form: 'tags[0]: Too long' })
  })

  it('maps a custom field path to its own input, or else to the top-level field', () => {
    const e = new ApiError(422, problem([{ field: 'custom_fields.budget', message: 'is required' }]))
    expect(fieldErrors(e, ['name', 'custom_fields.budget']).fields).toEqual({ 'custom_fields.budget': 'Required' })
    expect(fieldErrors(e, ['custom_fields']).fields).toEqual({ custom_fields: 'Required' })
  })

  it('translates a known code and falls back to a generic message plus the server detail', () => {
    expect(fieldErrors(coded(409, 'email_taken', 'an account with this email already exists'), ['email'])).toEqual({
      fields: {},
      form: 'An account with this email already exists.',
    })
    expect(fieldErrors(coded(409, 'brand_new_code', 'the server says why'), []).form).toBe('Something went wrong (the server says why)')
  })

  it('handles network errors and non-problem bodies', () => {
    expect(fieldErrors(new TypeError('Failed to fetch'), ['email']).form).toBe(
      'Could not reach the server. Check your connection and try again.',
    )
    expect(fieldErrors(new ApiError(502, null), []).form).toBe('Something went wrong (HTTP 502)')
  })
})

describe('error messages', () => {
  afterEach(() => i18n.changeLanguage('en'))

  it('maps the stable codes to the reader’s language', async () => {
    const e = coded(409, 'stage_has_leads', 'the stage has 3 leads; pass move_to')
    expect(describeError(e).message).toBe('This stage still has leads. Move them to another stage first.')
    await i18n.changeLanguage('pt-BR')
    expect(describeError(e).message).toBe('Esta etapa ainda tem leads. Mova-os para outra etapa antes.')
    await i18n.changeLanguage('es')
    expect(errorText(coded(429, 'rate_limited', 'too many requests'))).toBe('Demasiados intentos. Espera un momento e inténtalo de nuevo.')
  })

  it('tells a wrong password from an ended session, though both are 401 unauthorized', () => {
    expect(describeError(coded(401, 'unauthorized', 'invalid email or password')).message).toBe('Wrong email or password.')
    expect(describeError(coded(401, 'unauthorized', 'the session has ended')).message).toBe('You are not signed in, or your session ended.')
  })

  it('lists translated field errors under a validation problem', () => {
    const e = new ApiError(422, problem([{ field: 'name', message: 'must be at most 200 characters' }]))
    expect(describeError(e)).toEqual({ message: 'Some fields need a fix.', detail: 'name: Too long (at most 200 characters)' })
  })

  it('translates the common field messages and keeps the others as the server wrote them', async () => {
    expect(fieldMessage('is required')).toBe('Required')
    expect(fieldMessage('must not be empty')).toBe('Required')
    expect(fieldMessage('must be at most 120 characters')).toBe('Too long (at most 120 characters)')
    expect(fieldMessage('must be one of: Retainer, Project')).toBe('Choose one of: Retainer, Project')
    expect(fieldMessage('is not the current code of the authenticator app')).toBe('is not the current code of the authenticator app')
    await i18n.changeLanguage('pt-BR')
    expect(fieldMessage('must be a valid email address')).toBe('Informe um e-mail válido')
    await i18n.changeLanguage('es')
    expect(fieldMessage('is required')).toBe('Obligatorio')
  })
})
