// Signs a browser context in with tokens from the API (what the app keeps in localStorage).

/** The app's stored session for a token response. */
export function sessionOf(tokens) {
  return {
    session: {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
      user: tokens.user,
    },
    org: tokens.organization?.id ?? null,
  }
}

/** A new browser context already signed in as `signed` ({session, org}). */
export async function signedInContext(newContext, signed, opts = {}) {
  const ctx = await newContext(opts)
  await ctx.addInitScript((s) => {
    // A new page starts on about:blank, which has no storage (reading it throws).
    if (location.protocol === 'about:') return
    if (!localStorage.getItem('lovedcrm.session')) {
      localStorage.setItem('lovedcrm.session', JSON.stringify(s.session))
      if (s.org) localStorage.setItem('lovedcrm.org', s.org)
    }
  }, signed)
  return ctx
}
