import type { Refresher } from "../config/repo.ts";
import { TREE_VERSION } from "./repo.ts";

/*
 * When this container's locate index (core/unit/locate.ts) was last proven current, and the
 * refresher that proves it with a read the request makes anyway. Apart from locate.ts so that the
 * case loop's configuration (core/case/config.ts `CASE_CONFIG`) does not bring the index code
 * (flatbush, the packed format, the S3 object reads) into every case action (issue #15).
 */

export const RECHECK_MS = 5_000;

/** The index locate.ts holds (the same object: a check here marks it checked there). */
export const indexCheck: { current?: { version: number; checkedAt: number } } = {};

/**
 * The tree version's check, for a read the request makes anyway (core/config/repo.ts
 * `readWithConfig`; #16): when the counter has not moved the index counts as checked now; when it
 * moved, nothing changes here and the next `index()` reads it again and rebuilds.
 */
export const treeRefresher: Refresher = {
  name: "unit tree",
  key: TREE_VERSION,
  // nothing to keep fresh before this container has built or loaded an index (`index()` reads the version then)
  due: (_now, early = false) => indexCheck.current !== undefined && Date.now() - indexCheck.current.checkedAt >= (early ? RECHECK_MS / 2 : RECHECK_MS),
  apply: (raw) => {
    const cached = indexCheck.current;
    if (cached && cached.version === ((raw?.n as number | undefined) ?? 0)) cached.checkedAt = Date.now();
  },
};
