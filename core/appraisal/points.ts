/**
 * The grid worker points ledger ("service for points, points for goods"): a balance item and one
 * entry per month earned (written by the monthly run, replaced by a re-run with the difference
 * applied to the balance) and per redemption. A redemption is one conditional transaction: it
 * only succeeds while the balance covers it, so it can never make the balance negative.
 */
import { ulid } from "ulid";
import * as z from "zod/mini";
import { NotFoundError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import { round2 } from "../indicator/compute.ts";
import { getUser } from "../user/repo.ts";
import { parse } from "../validate.ts";
import { periodOf, quarterOf } from "./period.ts";
import { RedeemInput } from "./schema.ts";
import { earnedPointsOf, ledgerOf, pointsBalanceOf, writeEarned, writeRedemption } from "./repo-points.ts";

export type PointsEntry = {
  userId: string;
  period: string;
  kind: "earn" | "redeem";
  id: string;
  /** earned (positive) or spent (negative) */
  points: number;
  at: string;
  lines?: { key: string; count: number; each: number; points: number }[];
  runId?: string;
  item?: string;
  note?: string;
  by?: { kind: string; id: string; name?: string };
};

export type PointsView = {
  userId: string;
  /** the worker's display name and grid (as a path of names), for the ledger's heading */
  name?: string;
  pathName?: string;
  balance: number;
  earned: number;
  redeemed: number;
  quarters: { quarter: string; earned: number; redeemed: number }[];
  entries: PointsEntry[];
};

import { pathNames } from "./names.ts";
/** Id of a month's (single) earn entry. */
export const EARN_ID = "month";

/**
 * Record a worker's points for a month (the monthly run). Idempotent: the same points again
 * change nothing; other points replace the month's entry and move the balance by the difference.
 */
export async function earnPoints(
  userId: string,
  period: string,
  earned: { points: number; lines: PointsEntry["lines"] },
  runId: string,
  now: Date,
  /** the month's points already recorded (null: none), when the caller read them; else read here */
  known?: number | null,
): Promise<{ delta: number }> {
  const old = known !== undefined ? (known ?? undefined) : await earnedPointsOf(userId, period, EARN_ID);
  if (old === earned.points || (old === undefined && earned.points === 0)) return { delta: 0 };
  const delta = round2(earned.points - (old ?? 0));
  const at = now.toISOString();
  const entry: PointsEntry = { userId, period, kind: "earn", id: EARN_ID, points: earned.points, at, lines: earned.lines, runId };
  await writeEarned(entry, old, delta);
  return { delta };
}

/** The worker's own ledger, or one in the caller's part of the hierarchy for the permission. */
async function requireWorkerVisible(p: Principal, userId: string, perm: Permission): Promise<Awaited<ReturnType<typeof getUser>>> {
  const user = await getUser(userId);
  if (p.kind === "user" && p.id === userId && perm === "appraisals:read") return user;
  const scopes = scopesFor(p, perm);
  if (!user || !user.assignments.some((a) => inScopes(a.unitPath, scopes))) throw new NotFoundError(`No points ledger for ${userId}`);
  return user;
}

export async function readPoints(p: Principal, userId: string): Promise<PointsView> {
  const user = await requireWorkerVisible(p, userId, "appraisals:read");
  const grid = user?.assignments.find((a) => a.role === "grid_worker") ?? user?.assignments[0];
  const pathName = grid ? (await pathNames([grid.unitPath])).get(grid.unitPath) : undefined;
  const { balance, entries } = await ledgerOf(userId);
  const quarters = new Map<string, { quarter: string; earned: number; redeemed: number }>();
  for (const e of entries) {
    const q = quarters.get(quarterOf(e.period)) ?? { quarter: quarterOf(e.period), earned: 0, redeemed: 0 };
    if (e.kind === "earn") q.earned = round2(q.earned + e.points);
    else q.redeemed = round2(q.redeemed - e.points);
    quarters.set(q.quarter, q);
  }
  return {
    userId,
    ...(user ? { name: user.displayName } : {}),
    ...(pathName ? { pathName } : {}),
    balance: Number(balance?.balance ?? 0),
    earned: Number(balance?.earned ?? 0),
    redeemed: Number(balance?.redeemed ?? 0),
    quarters: [...quarters.values()].sort((a, b) => (a.quarter < b.quarter ? 1 : -1)),
    entries: entries.reverse(),
  };
}

const IdemKey = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[\w.:-]+$/, "letters, digits and _ . : - only"));

/**
 * Spend points on goods. One transaction: the balance goes down only if it covers the points
 * (`balance >= :p`), the ledger entry and the audit entry are written with it. With an
 * Idempotency-Key a retry returns the first redemption instead of spending twice.
 */
export async function redeemPoints(p: Principal, userId: string, input: unknown, now: Date, timeZone: string, idempotencyKey?: string): Promise<{ entry: PointsEntry; balance: number; replayed?: boolean }> {
  const data = parse(RedeemInput, input, "redemption");
  await requireWorkerVisible(p, userId, "appraisals:run");
  const id = idempotencyKey ? parse(IdemKey, idempotencyKey, "Idempotency-Key header") : ulid(now.getTime());
  const period = periodOf(now, timeZone);
  const at = now.toISOString();
  const entry: PointsEntry = { userId, period, kind: "redeem", id, points: -data.points, at, item: data.item, ...(data.note ? { note: data.note } : {}), by: actorOf(p) };
  const audit = auditPut({ actor: actorOf(p), action: "points.redeem", entity: "points", entityId: userId, summary: `${data.points} points for ${data.item}`, ...(data.note ? { reason: data.note } : {}) }, now);
  const prior = await writeRedemption(entry, data.points, audit, Boolean(idempotencyKey));
  if (prior) return { entry: prior, balance: (await readPoints(p, userId)).balance, replayed: true };
  return { entry, balance: await pointsBalanceOf(userId) };
}
