import { decodeCursor, encodeCursor } from "../db/items.ts";
import type { Filters } from "../db/page.ts";
import { InvalidError } from "../errors.ts";
import { casesOfStateBefore } from "./repo-reads.ts";
import { CaseState, type Case } from "./schema.ts";

/** The states of an open case (every state but the two terminal ones). */
export const OPEN_STATES = CaseState.options.filter((s) => s !== "closed" && s !== "rejected");

/** Reads per state partition and page at most (each read is one Query page). */
const READS_PER_STATE = 5;

/**
 * Open cases of a subtree, **newest first** (by `createdAt`, then id): the default order of
 * `GET /v1/cases` for partners (API keys). A k-way merge of the time-ordered cases-by-state index
 * (gsi2 `CASES#STATE#<state>`, sort key `<createdAt>#<id>`) read backwards, with a keyset cursor:
 * the sort key of the last case returned (`{gsi2sk}`), so a page never repeats or skips a case even while cases
 * are reported or change state between pages (a case that changes state is found under its new
 * state at its unchanged `createdAt`).
 */
export async function openCasesNewestFirst(
  scopePath: string,
  filters: Filters,
  page: { limit: number; cursor?: string },
  visible: (c: Case) => boolean,
): Promise<{ items: Case[]; nextCursor: string | null }> {
  // the cursor is `{gsi2sk}` of the last case shown (decodeCursor accepts only key names)
  const cur = decodeCursor(page.cursor) as { gsi2sk?: unknown } | undefined;
  if (cur && (typeof cur.gsi2sk !== "string" || Object.keys(cur).length !== 1)) throw new InvalidError("Invalid cursor", { fields: [{ path: "cursor", message: "not a cursor this API issued" }] });
  const before = (cur?.gsi2sk as string | undefined) ?? "~";
  let more = false;
  let frontier = ""; // the oldest sort key up to which every partition has been read
  filters.add("begins_with(unitPath, :scopePath)", { ":scopePath": scopePath });
  const parts = await Promise.all(
    OPEN_STATES.map(async (state) => {
      const found: Array<{ sk: string; c: Case }> = [];
      let start: Record<string, unknown> | undefined;
      let reads = 0;
      do {
        const { rows, next } = await casesOfStateBefore(state, before, filters, Math.max(page.limit * 2, 50), start);
        for (const row of rows) if (visible(row.c)) found.push(row);
        start = next;
        reads++;
      } while (start && found.length < page.limit && reads < READS_PER_STATE);
      if (start) {
        more = true;
        const sk = String(start.gsi2sk);
        if (sk > frontier) frontier = sk; // older cases of this state are not read yet: nothing older than this may be shown
      }
      return found;
    }),
  );
  const merged = parts
    .flat()
    .filter((x) => x.sk >= frontier)
    .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  const items = merged.slice(0, page.limit);
  if (merged.length > page.limit) more = true;
  const last = items.at(-1)?.sk ?? frontier;
  return { items: items.map((x) => x.c), nextCursor: more && last ? encodeCursor({ gsi2sk: last })! : null };
}
