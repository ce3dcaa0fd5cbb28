import type { components } from './schema'

type S = components['schemas']
export type Lead = S['LeadOut']
export type Contact = S['ContactOut']
export type Company = S['CompanyOut']
export type Project = S['ProjectOut']
export type Board = S['Board']
/** A lead as the board's card shows it: the lead plus its next open task. */
export type Card = S['Card']
export type NextTask = S['NextTask']
export type Column = S['Column']
export type Stage = S['Stage']
export type Pipeline = S['Pipeline']
export type Member = S['Member']
export type MyOrganization = S['MyOrganization']
export type TimelineItem = S['TimelineItem']
export type SearchResults = S['SearchResults']
export type Hit = S['Hit']
export type Dashboard = S['Dashboard']
export type Me = S['Me']
export type Preferences = S['Preferences']
export type PreferencesPatch = S['PatchPreferences']

/** A page of a list endpoint. */
export interface Page<T> {
  data: T[]
  next_cursor?: string | null
  has_more: boolean
  total?: number | null
}
