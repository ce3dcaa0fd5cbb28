import { describe, expect, it } from 'vitest'
import { fitWithin, normalizeHex, textOn } from './brand'

describe('white-label helpers', () => {
  it('writes white on dark brand colours and dark on light ones', () => {
    expect(textOn('#1e40af')).toBe('#ffffff')
    expect(textOn('#000000')).toBe('#ffffff')
    expect(textOn('#fde047')).toBe('#111111')
    expect(textOn('#ffffff')).toBe('#111111')
  })

  it('accepts colours as people type them', () => {
    expect(normalizeHex(' #ABC ')).toBe('#aabbcc')
    expect(normalizeHex('336699')).toBe('#336699')
    expect(normalizeHex('red')).toBeNull()
  })

  it('scales a logo down to fit, never up', () => {
    expect(fitWithin(1024, 512)).toEqual({ width: 256, height: 128 })
    expect(fitWithin(100, 40)).toEqual({ width: 100, height: 40 })
  })
})
