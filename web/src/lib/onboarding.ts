/**
 * The first-run checklist of a new organization: invite a teammate, bring
 * in contacts, connect a channel. Each step is done when the organization
 * shows it (not when it was clicked), and the list goes once all are done or
 * it is dismissed.
 */

export type OnboardingStep = 'invite' | 'import' | 'channel'
export const STEPS: OnboardingStep[] = ['invite', 'import', 'channel']

export interface OnboardingFacts {
  members: number
  pendingInvites: number
  contacts: number
  apiKeys: number
  conversations: number
}

export function doneSteps(f: OnboardingFacts): Set<OnboardingStep> {
  const done = new Set<OnboardingStep>()
  if (f.members > 1 || f.pendingInvites > 0) done.add('invite')
  if (f.contacts > 0) done.add('import')
  if (f.apiKeys > 0 || f.conversations > 0) done.add('channel')
  return done
}

const key = (org: string) => `lovedcrm.onboarding.dismissed.${org}`

export function isDismissed(org: string): boolean {
  try {
    return localStorage.getItem(key(org)) === '1'
  } catch {
    return false
  }
}

export function dismiss(org: string) {
  localStorage.setItem(key(org), '1')
}
