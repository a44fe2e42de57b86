/**
 * The live open count as a monthly delta (#16, plan 16 (1) B; docs/data-model.md "Monthly aggregate"):
 * an event that opens or ends a case adds `openDelta ±1` to its units' month items (the write its
 * counters make anyway) instead of writing `AGG#live` items. Open now of a unit =
 * `AGG#live.open` (the base: everything folded, and unit moves) + the `openDelta` of the months not
 * folded yet. Once a month the daily retention job folds the month before last into the base.
 *
 * - Marker `AGG#live / FOLD` `{through, state}`: months ≤ `through` are (being) folded.
 * - Fold of month X (when X ≤ the county month of yesterday − 2): (1) marker `through = X, folding`
 *   IF it said X−1 done; (2) for each unit with `openDelta ≠ 0` in X: base `ADD open :d SET
 *   foldedThrough = X IF foldedThrough < X` (a resumed run adds nothing twice); (3) marker done.
 *   A reader counts X from the base for units whose `foldedThrough ≥ X`, else from the month item.
 * - An event of an earlier month than the current reads the marker (openRouting): a month ≤ `through`
 *   goes to the base (`AGG#live`); a later one to its month with a ConditionCheck that the marker
 *   still says the same `through` (a fold that started meanwhile refuses the transaction).
 * - No marker (a table before migration 0006; the embedded stack writes it at start): consumers
 *   write every open change to the base as before, readers read the base only, the fold does nothing.
 */
import { clock } from "../clock.ts";
import { getSettings } from "../settings/settings.ts";
import { countyMonth } from "./county-time.ts";
import { aggregateItemsByKey, aggregateKey } from "./repo.ts";
import { OPEN_DELTA } from "./month-item.ts";
import { finishFold, foldMarker, foldUnit, monthOpenDeltas, startFold, type FoldMarker } from "./repo-fold.ts";
export { putFoldMarker } from "./repo-fold.ts";

/** `m` moved by `k` months ("2026-12", 2 → "2027-02"). */
export function addMonths(m: string, k: number): string {
  const [y, mo] = m.split("-").map(Number);
  const n = y * 12 + (mo - 1) + k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
}

/** The last month every unit has in its base: `through` when done, the one before while folding. */
export const doneThrough = (f: FoldMarker) => (f.state === "done" ? f.through : addMonths(f.through, -1));

/**
 * Open cases now per unit (its subtree), exact: the base plus the deltas of the months after what
 * the unit has folded, up to the current county month. One BatchGet of the marker, the units' base
 * items and their month items of those months (2–3 months a unit once the fold keeps up).
 */
export async function openNow(unitIds: string[], now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>(unitIds.map((id) => [id, 0]));
  if (!unitIds.length) return out;
  const current = countyMonth(now, (await getSettings()).timeZone);
  // no marker (before migration 0006 / the stack's start): every open change is in the base (openRouting)
  const marker = await markerForReaders();
  const from = marker ? addMonths(doneThrough(marker), 1) : "9999-99";
  const months: string[] = [];
  for (let m = from; m <= current; m = addMonths(m, 1)) months.push(m);
  const got = await aggregateItemsByKey(unitIds.flatMap((id) => [aggregateKey("live", `unit#${id}`), ...months.map((m) => aggregateKey(m, `unit#${id}`))]));
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  for (const id of unitIds) {
    const base = got.get(`AGG#live|unit#${id}`);
    const folded = typeof base?.foldedThrough === "string" && base.foldedThrough >= from ? base.foldedThrough : "";
    let open = num(base?.open);
    for (const m of months) if (m > folded) open += num(got.get(`AGG#${m}|unit#${id}`)?.[OPEN_DELTA]);
    out.set(id, Math.max(0, open));
  }
  return out;
}

/**
 * One fold step (the daily retention job): fold the month after the marker's when it is at least
 * two months before the county month of yesterday, or finish a fold left half way. `maxUnits` stops
 * early (tests: a fold caught half way). Idempotent; the marker says where it is.
 */
export async function foldOpenCounts(now: Date = clock.now(), opts: { maxUnits?: number } = {}): Promise<{ month?: string; units: number; done: boolean; skipped?: string }> {
  const marker = await foldMarker();
  if (!marker) return { units: 0, done: false, skipped: "no fold marker (migration 0006)" };
  const tz = (await getSettings()).timeZone;
  const latest = addMonths(countyMonth(new Date(now.getTime() - 86_400_000), tz), -2);
  let month: string;
  if (marker.state === "folding") month = marker.through;
  else {
    month = addMonths(marker.through, 1);
    if (month > latest) return { units: 0, done: false, skipped: `${month} is not two months past yet` };
    if (!(await startFold(marker.through, month))) return { units: 0, done: false, skipped: "another run moved the marker" };
  }
  const deltas = [...(await monthOpenDeltas(month))];
  const todo = opts.maxUnits === undefined ? deltas : deltas.slice(0, opts.maxUnits);
  let units = 0;
  for (let i = 0; i < todo.length; i += 16) {
    const done = await Promise.all(todo.slice(i, i + 16).map(([id, d]) => foldUnit(id, month, d)));
    units += done.filter(Boolean).length;
  }
  if (todo.length < deltas.length) return { month, units, done: false };
  await finishFold(month);
  return { month, units, done: true };
}

/** The marker's `through` as this container last read it (the marker is never removed and `through` only grows, to months ≤ now − 2): a batch of current-month events later than it skips reading it. */
let seenThrough: string | undefined;

/**
 * The marker as this container's readers last read it, for 10 minutes (only a marker that exists: until
 * migration 0006 every read is fresh). A copy older than the table's only makes openNow read more months:
 * a unit folded since has `foldedThrough` ≥ those months, so they are skipped for it, and a unit the fold
 * passed by has no delta there; the sum stays exact (a request of the overview, tree or map saves a round trip).
 */
let readerMarker: { marker: FoldMarker; at: number } | undefined;
const READER_MARKER_MS = 10 * 60_000;

async function markerForReaders(): Promise<FoldMarker | undefined> {
  const t = Date.now();
  if (readerMarker && t >= readerMarker.at && t - readerMarker.at < READER_MARKER_MS) return readerMarker.marker;
  const marker = await foldMarker();
  readerMarker = marker ? { marker, at: t } : undefined;
  return marker;
}

/** Forget that the marker was seen (a new table: the embedded stack's start, tests). */
export function forgetFoldMarker() {
  seenThrough = undefined;
  readerMarker = undefined;
}

/**
 * openRouting's read of the marker, started before the county's time zone is known: a container that
 * has not seen the marker reads it for every batch with an open-count change, so the consumer starts
 * it beside the settings read (#15: a cold container's first batch waited for one, then the other)
 * and hands it to openRouting. Undefined once this container has seen the marker (openRouting then
 * decides by the months whether to read). A failed read fails openRouting, as its own read would.
 */
export function earlyMarkerRead(): Promise<FoldMarker | undefined> | undefined {
  if (seenThrough !== undefined) return undefined;
  const read = foldMarker();
  read.catch(() => undefined); // awaited by openRouting; this only keeps a failure from counting as unhandled meanwhile
  return read;
}

/**
 * Where the open-count change of an event of `month` goes, for a batch consumed at `now`: `toBase`
 * months go to `AGG#live` (ADD open), the others to their month item (`openDelta`). The marker is read
 * (consistent) unless this container has seen it and every month is the current one and after the
 * `through` it saw (migration 0006 writes deploy month − 1, the fold moves it to months ≤ now − 2 only).
 * - no marker: every month to the base (the behaviour before #16 B; readers then read the base only);
 * - a month ≤ `through` to the base (its month is folded or being folded, or before the deploy);
 * - a later month before the current one goes to its month with `check`: the transaction's
 *   ConditionCheck that `through` still says so (a fold that started meanwhile refuses it; the batch
 *   comes back and routes again), so the change is counted exactly once either way.
 * `markerRead`: the marker read already under way (earlyMarkerRead), used instead of a read of its own.
 */
export async function openRouting(months: string[], now: Date, timeZone: string, markerRead?: Promise<FoldMarker | undefined>): Promise<{ toBase: Set<string>; check?: { through: string } }> {
  if (!months.length) return { toBase: new Set() };
  const current = countyMonth(now, timeZone);
  if (seenThrough !== undefined && months.every((m) => m >= current && m > seenThrough!)) return { toBase: new Set() };
  const marker = await (markerRead ?? foldMarker());
  if (!marker) return { toBase: new Set(months) };
  seenThrough = marker.through;
  const toBase = new Set(months.filter((m) => m <= marker.through));
  const checked = months.some((m) => !toBase.has(m) && m < current);
  return checked ? { toBase, check: { through: marker.through } } : { toBase };
}
