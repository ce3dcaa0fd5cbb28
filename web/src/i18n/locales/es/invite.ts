export default {
  subtitleAnon: 'Te invitaron a trabajar juntos en Loved CRM.',
  loading: 'Abriendo la invitación…',
  invalidTitle: 'Esta invitación no se puede usar',
  invalidBody: 'Fue revocada, ya se usó o caducó. Pide una nueva.',
  title: 'Únete a {{org}}',
  subtitle: '{{name}} te invitó a trabajar juntos en Loved CRM.',
  as: 'como {{role}} · {{email}}',
  expires: 'caduca el {{date}}',
  accept: 'Aceptar y unirme',
  otherAccount:
    'Iniciaste sesión como {{current}}, pero la invitación es para {{invited}}. Cierra la sesión para aceptarla con esa cuenta.',
  switchAccount: 'Cerrar sesión',
  signInFirst: '{{email}} ya tiene una cuenta. Inicia sesión para aceptar.',
  signInToAccept: 'Iniciar sesión para aceptar',
  createAndJoin: 'Crear cuenta y unirme',
}
