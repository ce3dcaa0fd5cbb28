import { Activity, Mail, MessageCircle, MessageSquare, Phone, StickyNote, Users } from 'lucide-react'
import { cn } from '@/lib/utils'

const ICONS = {
  whatsapp: MessageCircle,
  email: Mail,
  call: Phone,
  sms: MessageSquare,
  meeting: Users,
  note: StickyNote,
} as const

export const CHANNELS = ['whatsapp', 'email', 'call', 'sms', 'meeting', 'note'] as const
export type Channel = (typeof CHANNELS)[number]

export function ChannelIcon({ channel, className }: { channel: string | null | undefined; className?: string }) {
  const Icon = (channel && ICONS[channel as Channel]) || Activity
  return <Icon className={cn('size-3.5', className)} aria-hidden />
}
