import '@/i18n'
