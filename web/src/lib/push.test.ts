import { describe, expect, it } from 'vitest'
import { base64UrlToBytes } from './push'

describe('the VAPID key', () => {
  it('decodes base64url without padding into bytes', () => {
    // "hello?>" in base64 is aGVsbG8/Pg== ; base64url drops the padding and swaps / for _.
    expect([...base64UrlToBytes('aGVsbG8_Pg')]).toEqual([...new TextEncoder().encode('hello?>')])
    expect(base64UrlToBytes('-_8').length).toBe(2)
    expect([...base64UrlToBytes('-_8')]).toEqual([0xfb, 0xff])
  })

  it('decodes a real 65-byte P-256 public key', () => {
    const key = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U'
    const bytes = base64UrlToBytes(key)
    expect(bytes.length).toBe(65)
    expect(bytes[0]).toBe(4) // uncompressed point
  })
})
