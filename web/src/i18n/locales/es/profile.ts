export default {
  subtitle: 'Cómo te ven tus compañeros.',
  personal: 'Datos personales',
  name: 'Nombre completo',
  saved: 'Perfil guardado',
  verified: 'Verificado',
  unverified: 'Sin verificar',
  emailHelp: 'Tu correo es con lo que inicias sesión y adonde llegan las notificaciones.',
  memberSince: 'Miembro desde {{date}}',
}
