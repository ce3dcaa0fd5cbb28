/**
 * Quick successive edits of one record (status, then priority…) must not trip
 * over their own `If-Match`: each edit waits for the previous one on the same
 * record and sends the newest version seen, so only a teammate's change gives 412.
 */
const chains = new Map<string, Promise<unknown>>()
const latest = new Map<string, number>()

export function versionedEdit<T extends { version: number }>(
  id: string,
  knownVersion: number,
  send: (version: number) => Promise<T>,
): Promise<T> {
  const previous = chains.get(id) ?? Promise.resolve()
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      const version = Math.max(latest.get(id) ?? 0, knownVersion)
      const updated = await send(version)
      latest.set(id, updated.version)
      return updated
    })
  chains.set(id, run)
  // Both callbacks: a `finally` would make a second promise that rejects
  // with the edit's error and nobody handles (an unhandled rejection).
  const forget = () => {
    if (chains.get(id) === run) chains.delete(id)
  }
  run.then(forget, forget)
  return run
}
