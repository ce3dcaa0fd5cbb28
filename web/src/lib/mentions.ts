/** @mentions in a comment box: what is being typed, and what to insert. */

export interface Person {
  id: string
  name: string
}

/** The `@query` right before the caret, if the user is typing a mention. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret)
  const m = /(^|\s)@([\p{L}\p{N}_.-]{0,30})$/u.exec(before)
  if (!m) return null
  return { start: caret - m[2].length - 1, query: m[2] }
}

/** People whose name has a word starting with `query` (accents and case ignored). */
export function matchPeople(people: Person[], query: string, limit = 6): Person[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  const q = fold(query)
  return people
    .filter(
      (p) =>
        !q ||
        fold(p.name)
          .split(/\s+/)
          .some((w) => w.startsWith(q)) ||
        fold(p.name).startsWith(q),
    )
    .slice(0, limit)
}

/** Replaces the `@query` at `start` with `@Full Name ` and returns the new text and caret. */
export function insertMention(text: string, start: number, caret: number, person: Person): { text: string; caret: number } {
  const inserted = `@${person.name} `
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length }
}

/** The mentioned ids whose `@Name` is still in the text when it is sent. */
export function mentionedIds(text: string, picked: Person[]): string[] {
  return [...new Set(picked.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id))]
}
