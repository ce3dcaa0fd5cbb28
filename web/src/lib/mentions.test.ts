import { describe, expect, it } from 'vitest'
import { insertMention, matchPeople, mentionQuery, mentionedIds } from './mentions'

const people = [
  { id: '1', name: 'Ana Souza' },
  { id: '2', name: 'Bruno Lima' },
  { id: '3', name: 'João Álvares' },
]

describe('@mentions', () => {
  it('detects a mention being typed at the caret, not an email address', () => {
    expect(mentionQuery('hi @an', 6)).toEqual({ start: 3, query: 'an' })
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionQuery('mail ana@acme', 13)).toBeNull()
    expect(mentionQuery('hi @an and more', 15)).toBeNull()
  })

  it('matches any word of the name, ignoring accents and case', () => {
    expect(matchPeople(people, 'li').map((p) => p.id)).toEqual(['2'])
    expect(matchPeople(people, 'joao').map((p) => p.id)).toEqual(['3'])
    expect(matchPeople(people, 'alv').map((p) => p.id)).toEqual(['3'])
    expect(matchPeople(people, '')).toHaveLength(3)
  })

  it('inserts the full name and moves the caret after it', () => {
    expect(insertMention('hi @br!', 3, 6, people[1])).toEqual({ text: 'hi @Bruno Lima !', caret: 15 })
  })

  it('sends only the mentions still in the text', () => {
    expect(mentionedIds('thanks @Ana Souza', [people[0], people[1]])).toEqual(['1'])
  })
})
