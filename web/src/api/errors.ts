/**
 * What to tell the user when a request fails, in their language.
 *
 * The API answers problem+json with a stable `code` and per-field
 * `errors: [{field, message}]` in English. Known codes and the common field
 * messages get a translation; anything else falls back to a translated
 * generic message plus the server's own words, so nothing is lost.
 */
import { toast } from 'sonner'
import i18n from '@/i18n'
import { isApiError, type FieldError } from './problem'

const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, options)

/** English field messages the server sends, and the translation each stands for. */
const FIELD_PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(is required|must not be empty|must not be blank|is missing)$/i, () => t('problems.fields.required')],
  [/^must be (a valid email address|an email address)$/i, () => t('problems.fields.invalidEmail')],
  [/^must be at most (\d+) characters( long)?$/i, (m) => t('problems.fields.tooLong', { max: Number(m[1]) })],
  [/^(is )?too long$/i, () => t('problems.fields.tooLongPlain')],
  [/^must be at least (\d+) characters( long)?$/i, (m) => t('problems.fields.tooShort', { min: Number(m[1]) })],
  [/^must be a number$/i, () => t('problems.fields.number')],
  [/^(is not a valid phone number|must be a phone number in international form.*)$/i, () => t('problems.fields.phone')],
  [/^must be a date( like .*)?$/i, () => t('problems.fields.date')],
  [/^must be an http\(s\) URL$/i, () => t('problems.fields.url')],
  [/^must be one of: (.*)$/i, (m) => t('problems.fields.oneOf', { options: m[1] })],
  [/^does not exist in this organization$/i, () => t('problems.fields.notFound')],
  [/^must be true or false$/i, () => t('problems.fields.trueOrFalse')],
  [/^is not correct$/i, () => t('problems.fields.incorrect')],
]

/** A server field message in the user's language when it is a known one; the server's text otherwise. */
export function fieldMessage(message: string): string {
  const text = message.trim()
  for (const [pattern, translate] of FIELD_PATTERNS) {
    const m = pattern.exec(text)
    if (m) return translate(m)
  }
  return message
}

/** Server details that say more than their code (a 401 is a wrong password as well as an ended session). */
const DETAILS: Record<string, string> = {
  'invalid email or password': 'problems.details.badCredentials',
  'invalid two-factor code': 'problems.details.badTwoFactorCode',
  'invalid or expired two-factor challenge': 'problems.details.challengeExpired',
  'the account is disabled': 'problems.details.accountDisabled',
}

function fieldList(errors: FieldError[]): string {
  return errors
    .map((e) => (e.field ? t('problems.fieldItem', { field: e.field, message: fieldMessage(e.message) }) : fieldMessage(e.message)))
    .join(' · ')
}

/** `message`: the translated sentence; `detail`: what else is worth showing (field errors, the server's words). */
export function describeError(error: unknown): { message: string; detail?: string } {
  if (isApiError(error)) {
    const code = error.code
    const errors = error.problem?.errors ?? []
    const known = DETAILS[error.problem?.detail ?? '']
    if (known) return { message: t(known) }
    if (code && i18n.exists(`problems.codes.${code}`)) {
      return { message: t(`problems.codes.${code}`), detail: errors.length ? fieldList(errors) : undefined }
    }
    const detail = errors.length ? fieldList(errors) : error.problem?.detail || error.problem?.title || `HTTP ${error.status}`
    return { message: t('problems.generic'), detail }
  }
  // fetch() rejects with a TypeError when the network is down or the server unreachable.
  if (error instanceof TypeError) return { message: t('problems.network') }
  const text = error instanceof Error ? error.message : error ? String(error) : ''
  return { message: t('problems.generic'), detail: text || undefined }
}

/** One line for inline error texts: "Translated message (detail)". */
export function errorText(error: unknown): string {
  const { message, detail } = describeError(error)
  return detail ? t('problems.withDetail', { message, detail }) : message
}

/**
 * A toast for a failed request. With a `title` ("Could not save the change")
 * the reason goes underneath; without one, the reason is the title.
 */
export function toastError(error: unknown, title?: string) {
  if (title) {
    toast.error(title, { description: errorText(error) })
    return
  }
  const { message, detail } = describeError(error)
  toast.error(message, { description: detail })
}

/**
 * Maps a problem's `errors: [{field, message}]` onto form fields, translated.
 * A field path matches the form's field of that exact name
 * (`custom_fields.budget`) or else its top-level field (`custom_fields`).
 * Errors of fields the form does not show (or a problem without field
 * errors) go to `form`, so nothing the server said is lost.
 */
export function fieldErrors(error: unknown, formFields: readonly string[]): { fields: Record<string, string>; form: string | null } {
  if (!isApiError(error)) return { fields: {}, form: errorText(error) }
  const fields: Record<string, string> = {}
  const stray: FieldError[] = []
  for (const e of error.problem?.errors ?? []) {
    const field = formFields.includes(e.field) ? e.field : e.field.split(/[.[]/)[0]
    if (formFields.includes(field) && !fields[field]) fields[field] = fieldMessage(e.message)
    else stray.push(e)
  }
  let form: string | null = null
  if (stray.length > 0) form = fieldList(stray)
  else if (Object.keys(fields).length === 0) form = errorText(error)
  return { fields, form }
}
