/**
 * What a list can be filtered on and how: each field has a type, and each
 * type the operators the API accepts for it (mirroring the server's list
 * engine: ranges only on numbers and dates, matching on text, `is empty` on
 * fields that may be empty).
 */
import type { Operator } from './listQuery'
import { END_OF_DAY, instantOf, wallTime } from './zoned'

export type FilterType =
  /** Free text: is, is not, contains, starts with. */
  | 'text'
  /** One of a few values (status, a single-choice custom field). */
  | 'choice'
  /** Several values at once (a multi-choice custom field): contains. */
  | 'choices'
  /** Another record by id (company, contact), or a member (owner). */
  | 'ref'
  | 'number'
  /** A calendar day (`2026-03-01`). */
  | 'date'
  /** An instant, asked for by day in the user's time zone. */
  | 'timestamp'
  | 'boolean'

const OPS: Record<FilterType, Operator[]> = {
  text: ['contains', 'eq', 'neq', 'starts_with'],
  choice: ['eq', 'neq', 'in'],
  choices: ['contains'],
  ref: ['eq', 'neq'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'],
  date: ['eq', 'lt', 'lte', 'gt', 'gte'],
  // An instant is never "equal" to a day: before, on or before, after, on or after.
  timestamp: ['gte', 'lte', 'gt', 'lt'],
  boolean: ['eq'],
}

/** The operators offered for a field, `is empty` last when it may be empty. */
export function operatorsFor(type: FilterType, nullable = true): Operator[] {
  return nullable ? [...OPS[type], 'is_null'] : OPS[type]
}

/**
 * The value sent for what the user entered: a day on a timestamp field
 * becomes an instant in the user's time zone (the day's start for `gte`/`lt`,
 * its end for `gt`/`lte`, so "on or before Mar 1" includes Mar 1).
 */
export function apiValue(type: FilterType, op: Operator, value: string, tz?: string): string {
  if (op === 'is_null') return value === 'false' ? 'false' : 'true'
  if (type === 'timestamp' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const end = op === 'gt' || op === 'lte'
    const at = instantOf(value, end ? END_OF_DAY : '00:00', tz)
    if (!at) return value
    return end ? new Date(new Date(at).getTime() + 59_999).toISOString() : at
  }
  if (op === 'in') return value
  return value.trim()
}

/** What a filter's value shows as in its chip: the day of a timestamp, otherwise the value. */
export function displayValue(type: FilterType | undefined, value: string, tz?: string): string {
  if (type === 'timestamp' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return wallTime(value, tz).date
  return value
}
