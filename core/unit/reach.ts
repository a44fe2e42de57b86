/**
 * Which of the units containing a point `locate` answers with (pure). A unit is reached only where
 * the write-time boundary check (core/unit/boundary.ts) would place it: going up from it, as long
 * as units are drawn, each parent that is drawn must contain the point too — so a unit accepted
 * partly outside its parent (county setting boundaryCheck = warn) is never reached from outside
 * that parent, e.g. a grid drawn 45 km outside its county. Among overlapping units of the same
 * depth the lowest code wins, whatever order the index returns them in.
 */
export interface Candidate {
  id: string;
  depth: number;
  code: string;
  /** materialized path `/root/…/self/` */
  path: string;
}

/**
 * `hits`: every unit whose boundary contains the point; `drawn(id)`: does the unit have a
 * boundary (is it in the index at all).
 */
export function pickLocated(hits: readonly Candidate[], drawn: (id: string) => boolean): Candidate | undefined {
  const inside = new Set(hits.map((h) => h.id));
  const reachable = (c: Candidate) => {
    const chain = c.path.split("/").filter(Boolean); // root … self
    for (let i = chain.length - 2; i >= 0; i--) {
      if (!drawn(chain[i])) return true; // an undrawn parent makes no claim about the point
      if (!inside.has(chain[i])) return false;
    }
    return true;
  };
  return hits.filter(reachable).sort((a, b) => b.depth - a.depth || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))[0];
}
