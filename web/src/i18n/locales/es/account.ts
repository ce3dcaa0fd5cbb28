export default {
  verifyBanner: 'Confirma tu correo: enviamos un enlace a {{email}}.',
  verifyShort: 'Confirma tu correo',
  resendShort: 'Reenviar',
  hideBanner: 'Ocultar este recordatorio',
  resend: 'Reenviar correo de verificación',
  verificationSent: 'Correo de verificación enviado. Revisa tu bandeja de entrada.',
  verificationSentShort: 'Correo enviado',
  verificationFailed: 'No se pudo enviar el correo',
}
