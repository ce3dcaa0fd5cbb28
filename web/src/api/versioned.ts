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
  void run.finally(() => {
    if (chains.get(id) === run) chains.delete(id)
  })
  return run
}
