/**
 * Reads stay correct while a moved subtree's records are re-pathed (docs/data-model.md "Unit
 * moves"). A move registers `oldPath → newPath` before the units move; until the re-path job
 * has finished (and for an hour after, the life of access tokens issued before), every
 * visibility check compares *canonical* paths: a record or a token scope still carrying the old
 * path is read as if it carried the new one. Lists keyed by path query the old prefix as well
 * (`storedPrefixes`). Pure, plus the per-container snapshot the authenticator refreshes.
 */
export interface PathMove {
  rootId: string;
  oldPath: string;
  newPath: string;
  jobId: string;
  startedAt: string;
  finishedAt?: string;
}

let snapshot: readonly PathMove[] = [];

/** The moves known to this container (refreshed once per authenticated request). */
export const knownMoves = (): readonly PathMove[] => snapshot;
export function setKnownMoves(moves: readonly PathMove[]): void {
  snapshot = moves;
}

/** The path as it reads after the moves: an old prefix becomes the new one. */
export function canonicalPath(path: string, moves: readonly PathMove[] = snapshot): string {
  for (const m of moves) if (path.startsWith(m.oldPath)) return m.newPath + path.slice(m.oldPath.length);
  return path;
}

/**
 * Prefixes under which records of the (canonical) subtree `prefix` may still be stored: the
 * prefix itself, plus the old location of any moved subtree inside it or containing it, while
 * its records are re-pathed.
 */
export function storedPrefixes(prefix: string, moves: readonly PathMove[] = snapshot): string[] {
  const out = [prefix];
  for (const m of moves) {
    if (m.finishedAt) continue; // every record carries the new path
    if (prefix.startsWith(m.newPath)) out.push(m.oldPath + prefix.slice(m.newPath.length));
    else if (m.newPath.startsWith(prefix)) out.push(m.oldPath);
  }
  return [...new Set(out)];
}
