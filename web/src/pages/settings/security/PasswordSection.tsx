import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { Loader2 } from 'lucide-react'
import { fieldErrors } from '@/api/errors'
import { Field, FormError } from '@/components/forms/Field'
import { Section } from '@/components/settings/SettingsPage'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useSecurityMutations } from './useSecurity'

const MIN_PASSWORD = 10

/** Change password; the server signs every other session out. */
export function PasswordSection() {
  const { t } = useTranslation()
  const { changePassword } = useSecurityMutations()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        setFormError(null)
        const client: Record<string, string> = {}
        if (!current) client.current = t('auth.required')
        if (next.length < MIN_PASSWORD) client.next = t('auth.passwordTooShort', { count: MIN_PASSWORD })
        else if (next !== confirm) client.confirm = t('auth.passwordsDiffer')
        setErrors(client)
        if (Object.keys(client).length) return
        changePassword.mutate(
          { current_password: current, new_password: next },
          {
            onSuccess: () => {
              toast.success(t('security.passwordChanged'))
              setCurrent('')
              setNext('')
              setConfirm('')
            },
            onError: (err) => {
              const mapped = fieldErrors(err, ['current_password', 'new_password'])
              setErrors({ current: mapped.fields.current_password, next: mapped.fields.new_password })
              setFormError(mapped.form)
            },
          },
        )
      }}
    >
      <Section
        title={t('security.password')}
        description={t('security.passwordHelp')}
        footer={
          <Button type="submit" size="sm" disabled={changePassword.isPending}>
            {changePassword.isPending && <Loader2 className="animate-spin" />}
            {t('security.changePassword')}
          </Button>
        }
      >
        <div className="grid max-w-sm gap-4">
          <FormError message={formError} />
          <Field label={t('security.currentPassword')} error={errors.current}>
            <Input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
          </Field>
          <Field label={t('auth.newPassword')} error={errors.next} hint={t('auth.passwordHint', { count: MIN_PASSWORD })}>
            <Input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          </Field>
          <Field label={t('auth.confirmPassword')} error={errors.confirm}>
            <Input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          </Field>
        </div>
      </Section>
    </form>
  )
}
