import { describe, expect, it } from 'vitest'
import { allZones, matchZone, offsetOf, zoneIds } from './timezones'

describe('time zones', () => {
  it('lists the zones the browser knows, UTC included', () => {
    const ids = zoneIds()
    expect(ids).toContain('UTC')
    expect(ids).toContain('America/Sao_Paulo')
    expect(ids.length).toBeGreaterThan(100)
  })

  it('computes offsets at a given time (daylight saving included)', () => {
    expect(offsetOf('America/Sao_Paulo', new Date('2026-07-01T12:00:00Z'))).toEqual({ offset: 'GMT-03:00', minutes: -180 })
    expect(offsetOf('UTC').minutes).toBe(0)
    expect(offsetOf('Europe/Madrid', new Date('2026-07-01T12:00:00Z')).minutes).toBe(120)
    expect(offsetOf('Asia/Kolkata').offset).toBe('GMT+05:30')
    expect(offsetOf('Not/AZone').minutes).toBe(0)
  })

  it('finds zones by city with or without accents and spaces, or by offset', () => {
    const sp = allZones().find((z) => z.id === 'America/Sao_Paulo')!
    expect(matchZone(sp, 'são paulo')).toBe(true)
    expect(matchZone(sp, 'sao')).toBe(true)
    expect(matchZone(sp, 'GMT-03')).toBe(true)
    expect(matchZone(sp, 'madrid')).toBe(false)
    expect(matchZone(sp, '')).toBe(true)
  })

  it('sorts by offset, west to east', () => {
    const minutes = allZones().map((z) => z.minutes)
    expect([...minutes].sort((a, b) => a - b)).toEqual(minutes)
  })
})
