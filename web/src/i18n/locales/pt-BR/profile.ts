export default {
  subtitle: 'Como seus colegas veem você.',
  personal: 'Dados pessoais',
  name: 'Nome completo',
  saved: 'Perfil salvo',
  verified: 'Verificado',
  unverified: 'Não verificado',
  emailHelp: 'Seu e-mail é como você entra e para onde vão as notificações.',
  memberSince: 'Membro desde {{date}}',
}
