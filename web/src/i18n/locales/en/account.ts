export default {
  verifyBanner: 'Confirm your email address: we sent a link to {{email}}.',
  verifyShort: 'Confirm your email',
  resendShort: 'Resend',
  hideBanner: 'Hide this reminder',
  resend: 'Resend verification email',
  verificationSent: 'Verification email sent. Check your inbox.',
  verificationSentShort: 'Email sent',
  verificationFailed: 'Could not send the email',
}
