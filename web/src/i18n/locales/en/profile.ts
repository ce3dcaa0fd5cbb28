export default {
  subtitle: 'How your teammates see you.',
  personal: 'Personal details',
  name: 'Full name',
  saved: 'Profile saved',
  verified: 'Verified',
  unverified: 'Not verified',
  emailHelp: 'Your email is how you sign in and where notifications go.',
  memberSince: 'Member since {{date}}',
}
