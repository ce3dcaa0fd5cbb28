import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { BadgeCheck, CircleAlert, Loader2 } from 'lucide-react'
import { useMe, useUpdateMe } from '@/api/hooks/me'
import { fieldErrors } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Section, SettingsPage } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Avatar, Badge, Skeleton } from '@/components/ui/misc'
import { formatDate } from '@/lib/format'
import { ResendVerification } from '@/components/account/ResendVerification'

/** The user's own name and email (the email is the sign-in and is shown, not edited here). */
export default function ProfilePage() {
  const { t, i18n } = useTranslation()
  const me = useMe()
  const update = useUpdateMe()
  const [name, setName] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)

  useEffect(() => {
    if (me.data) setName(me.data.name)
  }, [me.data])

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    setFormError(null)
    if (!name.trim()) return setErrors({ name: t('auth.required') })
    setErrors({})
    update.mutate(
      { name: name.trim() },
      {
        onSuccess: () => toast.success(t('profile.saved')),
        onError: (err) => {
          const mapped = fieldErrors(err, ['name'])
          setErrors(mapped.fields)
          setFormError(mapped.form)
        },
      },
    )
  }

  const m = me.data
  return (
    <SettingsPage title={t('settings.profile')} subtitle={t('profile.subtitle')} testId="profile-page">
      {!m ? (
        <Skeleton className="h-64" />
      ) : (
        <>
          <form onSubmit={submit} noValidate>
            <Section
              title={t('profile.personal')}
              footer={
                <Button type="submit" size="sm" disabled={update.isPending || name.trim() === m.name}>
                  {update.isPending && <Loader2 className="animate-spin" />}
                  {t('common.save')}
                </Button>
              }
            >
              <div className="flex items-start gap-4">
                <Avatar name={name || m.name} className="size-14 text-lg" />
                <div className="grid flex-1 gap-4">
                  <FormError message={formError} />
                  <Field label={t('profile.name')} error={errors.name}>
                    <Input value={name} autoComplete="name" onChange={(e) => setName(e.target.value)} className="max-w-sm" />
                  </Field>
                  <div className="grid gap-1.5">
                    <span className="text-[13px] font-medium text-foreground/90" id="profile-email-label">
                      {t('auth.email')}
                    </span>
                    <div className="flex flex-wrap items-center gap-2" aria-labelledby="profile-email-label">
                      <span className="text-sm" data-testid="profile-email">
                        {m.email}
                      </span>
                      {m.email_verified ? (
                        <Badge className="border-success/30 text-success" data-testid="email-verified">
                          <BadgeCheck className="size-3" />
                          {t('profile.verified')}
                        </Badge>
                      ) : (
                        <Badge className="border-amber-500/40 text-amber-700 dark:text-amber-400" data-testid="email-unverified">
                          <CircleAlert className="size-3" />
                          {t('profile.unverified')}
                        </Badge>
                      )}
                    </div>
                    <p className="text-xs text-muted-foreground">{t('profile.emailHelp')}</p>
                    {!m.email_verified && <ResendVerification className="justify-self-start" />}
                  </div>
                </div>
              </div>
            </Section>
          </form>
          <p className="text-xs text-muted-foreground">{t('profile.memberSince', { date: formatDate(m.created_at, i18n.language) })}</p>
        </>
      )}
    </SettingsPage>
  )
}
