import { describe, expect, it } from "vitest";
import { findSelfIntersection, orient, segmentsIntersect, type XY } from "./ring.ts";

/** Every pair of edges in order: the first (smallest a, then b) that touch or cross — the rule findSelfIntersection states. */
function firstPairByBruteForce(ring: readonly XY[]): { a: number; b: number } | null {
  const m = ring.length - 1;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const p1 = ring[i], p2 = ring[i + 1], p3 = ring[j], p4 = ring[j + 1];
      if (j === i + 1 || (i === 0 && j === m - 1)) {
        const [a, s, c] = j === i + 1 ? [p1, p2, p4] : [p3, p1, p2];
        if (orient(a, s, c) === 0 && (s[0] - a[0]) * (c[0] - s[0]) + (s[1] - a[1]) * (c[1] - s[1]) < 0) return { a: i, b: j };
      } else if (segmentsIntersect(p1, p2, p3, p4)) return { a: i, b: j };
    }
  }
  return null;
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const close = (pts: XY[]): XY[] => [...pts, pts[0]];

/** A star-shaped ring (simple): vertices sorted by angle around a centre, radii varied; on a grid so that touching is exact. */
function star(rnd: () => number, n: number, scale = 1): XY[] {
  const pts: XY[] = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    const r = (500 + Math.floor(rnd() * 400)) * scale;
    pts.push([Math.round(1000 * scale + r * Math.cos(t)), Math.round(1000 * scale + r * Math.sin(t))]);
  }
  // rounding can repeat a vertex: drop consecutive repeats as the schema does
  return close(pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]));
}

describe("findSelfIntersection above the brute-force size (sort and sweep, no index library)", () => {
  it("finds the same first pair as checking every pair, on 600 random rings of 65–800 edges (simple, crossed, touching, folded back)", () => {
    const rnd = random(20261205);
    let simple = 0;
    let hit = 0;
    for (let t = 0; t < 600; t++) {
      const n = 65 + Math.floor(rnd() * 736);
      let ring: XY[];
      switch (t % 4) {
        case 0: // star-shaped: simple unless rounding made two edges meet
          ring = star(rnd, n);
          break;
        case 1: {
          // random walk on a small grid: many crossings and touchings
          const pts: XY[] = [];
          let x = 0, y = 0;
          for (let k = 0; k < n; k++) {
            pts.push([x, y]);
            x += Math.floor(rnd() * 7) - 3;
            y += Math.floor(rnd() * 7) - 3;
          }
          ring = close(pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]));
          break;
        }
        case 2: {
          // a star with two vertices swapped: usually one local crossing, late in the ring
          const s = star(rnd, n).slice(0, -1);
          const k = 1 + Math.floor(rnd() * (s.length - 3));
          [s[k], s[k + 1]] = [s[k + 1], s[k]];
          ring = close(s);
          break;
        }
        default: {
          // a star with a vertex pushed onto another edge's line, or a spike folding back
          const s = star(rnd, n).slice(0, -1);
          const k = 2 + Math.floor(rnd() * (s.length - 4));
          s.splice(k, 0, s[k - 2]);
          ring = close(s.filter((p, i) => i === 0 || p[0] !== s[i - 1][0] || p[1] !== s[i - 1][1]));
        }
      }
      if (ring.length - 1 <= 64) continue;
      const want = firstPairByBruteForce(ring);
      const got = findSelfIntersection(ring);
      expect(got && { a: got.a, b: got.b }, `ring ${t} (${ring.length - 1} edges)`).toEqual(want);
      if (want) hit++;
      else simple++;
    }
    // both kinds were exercised
    expect(simple).toBeGreaterThan(50);
    expect(hit).toBeGreaterThan(300);
  });

  it("a simple ring of 10,000 positions (the schema's limit) has no pair; one edge pushed across another is found", () => {
    const ring = star(random(7), 9_999, 10_000); // coarse enough that rounding to the grid keeps it simple
    expect(firstPairByBruteForce(ring)).toBeNull(); // the generator's ring is simple (every pair checked)
    expect(findSelfIntersection(ring)).toBeNull();
    const crossed = ring.slice(0, -1);
    [crossed[5000], crossed[5001]] = [crossed[5001], crossed[5000]];
    const found = findSelfIntersection(close(crossed));
    expect(found).not.toBeNull();
    expect(found!.a).toBeGreaterThanOrEqual(4998);
    expect(found!.b).toBeLessThanOrEqual(5002);
    expect({ a: found!.a, b: found!.b }).toEqual(firstPairByBruteForce(close(crossed)));
  }, 60_000);
});
