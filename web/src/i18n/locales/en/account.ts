export default {
  resend: 'Resend verification email',
  verificationSent: 'Verification email sent. Check your inbox.',
  verificationSentShort: 'Email sent',
  verificationFailed: 'Could not send the email',
}
