export default {
  verifyBanner: 'Confirme seu e-mail: enviamos um link para {{email}}.',
  verifyShort: 'Confirme seu e-mail',
  resendShort: 'Reenviar',
  hideBanner: 'Ocultar este lembrete',
  resend: 'Reenviar e-mail de verificação',
  verificationSent: 'E-mail de verificação enviado. Confira sua caixa de entrada.',
  verificationSentShort: 'E-mail enviado',
  verificationFailed: 'Não foi possível enviar o e-mail',
}
