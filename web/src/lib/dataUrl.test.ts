import { describe, expect, it } from 'vitest'
import { dataUrlBytes, dataUrlType } from './dataUrl'

describe('data URLs', () => {
  it('measures the decoded content', () => {
    expect(dataUrlBytes(`data:image/png;base64,${btoa('hello')}`)).toBe(5)
    expect(dataUrlBytes(`data:image/png;base64,${btoa('hell')}`)).toBe(4)
    expect(dataUrlBytes(`data:image/png;base64,${btoa('hel')}`)).toBe(3)
    expect(dataUrlBytes('https://example.com/x.png')).toBe(0)
  })

  it('reads the media type', () => {
    expect(dataUrlType('data:image/svg+xml;base64,PHN2Zz4=')).toBe('image/svg+xml')
    expect(dataUrlType('nope')).toBeNull()
  })
})
