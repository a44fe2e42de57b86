import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import { ForbiddenError, InvalidError, NotFoundError, UnauthorizedError, UnavailableError } from "../errors.ts";
import { randomSecret } from "../auth/password.ts";
import { signAccessToken } from "../auth/token.ts";
import type { Principal } from "../auth/principal.ts";
import { getSettings } from "../settings/settings.ts";
import { getUnit, getUnits } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { logger } from "../log.ts";
import { parse } from "../validate.ts";
import { allCategories } from "../open311/catalog.ts";
import { gridByCode } from "./grids.ts";
import { LIMITS, limitAnonymous, limitCodeRequest, limitGridPage, refundCodeRequest, limitVerifyAddress, limitVerifyPhone } from "./limits.ts";
import { codeHash, maskPhone, phoneHash, phoneHashes } from "./phone.ts";
import { consumeChallenge, countAttempt, getChallenge, getResident, insertResident, moveResident, putChallenge, putRefresh, rekeyResident, residentIdByPhone, takeRefresh, touchResident } from "./repo.ts";
import { AnonymousRequest, CodeRequest, ResidentRefreshRequest, VerifyRequest, type CodeSent, type GridPage, type Resident, type ResidentProfile, type ResidentSession } from "./schema.ts";
import { logSender, sendCodeOnce, sentNothing, type SmsSender } from "./sms.ts";

const CODE_SECONDS = 5 * 60;
const REFRESH_DAYS = 30;
const ANON_PREFIX = "anon-";

/** Where the channel runs: the stage decides whether codes may be echoed (local only). */
export interface ChannelEnv {
  stage: string | undefined;
  /** the stage's sender, resolved only after the limits passed (core/resident/sms-providers.ts); default: the log sender on the local stage */
  sms?: () => Promise<SmsSender>;
}

function localOnly(stage: string | undefined): SmsSender {
  if (stage === "local") return logSender;
  throw new UnavailableError(300, "SMS is not configured for this deployment");
}

const expired = () => new InvalidError("The code is wrong or expired; request a new one", { fields: [{ path: "code", message: "wrong or expired code" }] });

/** `POST /v1/residents/code`: send a 6-digit code to the phone (limits per phone and per address). */
export async function requestCode(input: unknown, ip: string, now: Date, env: ChannelEnv): Promise<CodeSent> {
  const { phone } = parse(CodeRequest, input, "request");
  const hash = await phoneHash(phone);
  // the per-phone and per-address limits come before anything reaches the provider
  const taken = await limitCodeRequest(hash, ip, now);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const expiresAt = Math.floor(now.getTime() / 1000) + CODE_SECONDS;
  let sending = false;
  try {
    const sender = env.sms ? await env.sms() : localOnly(env.stage);
    await putChallenge(hash, { codeHash: await codeHash(hash, code), attempts: 0, expiresAt, createdAt: now.toISOString() });
    // at most one SMS per request; provider refusals become 400/429/503 (core/resident/sms.ts)
    sending = true;
    await sendCodeOnce(sender, { phone, code, minutes: CODE_SECONDS / 60 });
  } catch (e) {
    // the county's failure, not the resident's (no provider configured, configuration refused, provider
    // never reached): the phone's buckets are given back; a throttled, unreachable-number or possibly
    // delivered request keeps its charge (docs/partner-api.md 5.3)
    if (!sending || sentNothing(e)) await refundCodeRequest(taken).catch((r) => logger.warn("could not give back the phone's code limit", { error: (r as Error).message }));
    throw e;
  }
  return {
    sent: true,
    phoneMasked: maskPhone(phone),
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    resendAfterSeconds: LIMITS.codePerPhoneMinute.seconds,
    ...(env.stage === "local" ? { devCode: code } : {}),
  };
}

/**
 * `POST /v1/residents/verify`: check the code, register (or find) the resident in the scanned grid, open a session.
 * The per-phone verification bucket is charged only for a real attempt: a request refused before
 * any code is compared (bad body, unknown grid, no live code for the phone) does not count against
 * the resident, so junk requests naming someone's phone cannot lock them out. The per-address
 * bucket counts every well-formed request (it throttles the sender, not the resident).
 */
export async function verifyCode(input: unknown, ip: string, now: Date): Promise<ResidentSession> {
  const data = parse(VerifyRequest, input, "verification");
  const [hash, ...older] = await phoneHashes(data.phone);
  await limitVerifyAddress(ip, now);
  const grid = await gridByCode(data.gridCode);
  const challenge = await getChallenge(hash);
  if (!challenge || challenge.expiresAt * 1000 <= now.getTime()) throw expired();
  await limitVerifyPhone(hash, now);
  if (!(await countAttempt(hash, challenge.createdAt, LIMITS.attemptsPerCode))) throw expired();
  const given = Buffer.from(await codeHash(hash, data.code));
  const want = Buffer.from(challenge.codeHash);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw expired();
  if (!(await consumeChallenge(hash, challenge.createdAt))) throw expired();
  const resident = await register([hash, ...older], maskPhone(data.phone), grid, now);
  return session(resident, now);
}

/** The resident registered under the phone: by its current hash, else by an earlier key's hash (then re-keyed). */
async function findByPhone(hashes: string[], now: Date): Promise<Resident | "retry" | undefined> {
  for (const [i, h] of hashes.entries()) {
    const id = await residentIdByPhone(h);
    const r = id ? await getResident(id) : undefined;
    if (!r) continue;
    if (i === 0) return r;
    return (await rekeyResident(r, hashes[0], now)) ?? "retry";
  }
  return undefined;
}

/** Find or create the resident of a phone (current and earlier key hashes) and put them in the grid. */
export async function register(hashes: string[], masked: string, grid: Unit, now: Date): Promise<Resident> {
  const hash = hashes[0];
  for (let i = 0; i < 3; i++) {
    const existing = await findByPhone(hashes, now);
    if (existing === "retry") continue;
    if (existing) {
      if (existing.unitId === grid.id && existing.unitPath === grid.path) return touchResident(existing, now);
      const moved = await moveResident(existing, grid, now);
      if (moved) return moved;
      continue;
    }
    const at = now.toISOString();
    const r: Resident = { id: ulid(now.getTime()), phoneHash: hash, phoneMasked: masked, unitId: grid.id, unitPath: grid.path, gridCode: grid.code, version: 1, createdAt: at, updatedAt: at, lastSeenAt: at };
    if (await insertResident(r)) return r;
  }
  throw new UnavailableError(1, "Concurrent registration in progress, retry");
}

function profileOf(r: Resident, grid: Unit | undefined): ResidentProfile {
  // a resident who signed in with WeChat only has no phone (phoneMasked "")
  return { id: r.id, anonymous: false, phoneMasked: r.phoneMasked || null, grid: grid ? brief(grid) : { id: r.unitId, code: r.gridCode, name: "", level: "" } };
}

const brief = (u: Unit) => ({ id: u.id, code: u.code, name: u.name, level: u.level });

export async function session(r: Resident, now: Date): Promise<ResidentSession> {
  const principal: Principal = { kind: "resident", id: r.id, unitId: r.unitId, unitPath: r.unitPath };
  const { token, expiresAt } = await signAccessToken(principal, now);
  const refreshToken = await newRefresh({ residentId: r.id, anonymous: false }, now);
  return { accessToken: token, expiresAt, refreshToken, resident: profileOf(r, await getUnit(r.unitId)) };
}

async function newRefresh(r: { residentId: string; anonymous: boolean; unitId?: string; unitPath?: string }, now: Date): Promise<string> {
  const token = `wr_${randomSecret(32)}`;
  await putRefresh(sha256(token), { ...r, expiresAt: Math.floor(now.getTime() / 1000) + REFRESH_DAYS * 86_400 });
  return token;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

/** `POST /v1/residents/anonymous`: a session without a phone, where the county allows anonymous reports. */
export async function anonymousSession(input: unknown, ip: string, now: Date): Promise<ResidentSession> {
  const data = parse(AnonymousRequest, input, "request");
  const settings = await getSettings();
  if (!settings.anonymousReports) throw new ForbiddenError("Anonymous reports are not accepted in this county; register with your phone number");
  await limitAnonymous(ip, now);
  const grid = await gridByCode(data.gridCode);
  const id = `${ANON_PREFIX}${ulid(now.getTime())}`;
  const { token, expiresAt } = await signAccessToken({ kind: "resident", id, unitId: grid.id, unitPath: grid.path }, now);
  const refreshToken = await newRefresh({ residentId: id, anonymous: true, unitId: grid.id, unitPath: grid.path }, now);
  return { accessToken: token, expiresAt, refreshToken, resident: { id, anonymous: true, phoneMasked: null, grid: brief(grid) } };
}

/** `POST /v1/residents/refresh`: a new access token (and a new refresh token; the old one is used up). */
export async function refreshSession(input: unknown, now: Date): Promise<ResidentSession> {
  const { refreshToken } = parse(ResidentRefreshRequest, input, "refresh request");
  const rec = await takeRefresh(sha256(refreshToken));
  const invalid = () => new UnauthorizedError("Refresh token is invalid or expired", { reason: "refresh_invalid" });
  if (!rec || rec.expiresAt * 1000 <= now.getTime()) throw invalid();
  if (rec.anonymous) {
    const settings = await getSettings();
    if (!settings.anonymousReports) throw invalid();
    const grid = rec.unitId ? await getUnit(rec.unitId) : undefined;
    const unitPath = grid?.path ?? rec.unitPath;
    const { token, expiresAt } = await signAccessToken({ kind: "resident", id: rec.residentId, unitId: rec.unitId, unitPath }, now);
    const next = await newRefresh({ residentId: rec.residentId, anonymous: true, unitId: rec.unitId, unitPath }, now);
    return { accessToken: token, expiresAt, refreshToken: next, resident: { id: rec.residentId, anonymous: true, phoneMasked: null, grid: grid ? brief(grid) : null } };
  }
  const r = await getResident(rec.residentId);
  if (!r) throw invalid();
  // the grid may have moved in the tree since: the session carries its current path
  const grid = await getUnit(r.unitId);
  return session(grid && grid.path !== r.unitPath ? { ...r, unitPath: grid.path } : r, now);
}

/**
 * `POST /v1/residents/logout`: revoke the refresh token (body or cookie). Idempotent: a token
 * already used up, expired or unknown answers the same, so the route says nothing about tokens.
 */
export async function endSession(input: unknown): Promise<void> {
  const { refreshToken } = parse(ResidentRefreshRequest, input, "logout request");
  await takeRefresh(sha256(refreshToken));
}

/** `GET /v1/residents/me`: the caller's own profile (residents only). */
export async function residentProfile(p: Principal): Promise<ResidentProfile> {
  if (p.kind !== "resident") throw new ForbiddenError("Only residents have a resident profile");
  if (p.id.startsWith(ANON_PREFIX)) {
    const grid = p.unitId ? await getUnit(p.unitId) : undefined;
    return { id: p.id, anonymous: true, phoneMasked: null, grid: grid ? brief(grid) : null };
  }
  const r = await getResident(p.id);
  if (!r) throw new NotFoundError("Resident not found");
  return profileOf(r, await getUnit(r.unitId));
}

/** `GET /v1/residents/grids/{code}`: the public landing page data behind a grid's QR code. */
export async function gridPage(code: string, ip: string, now: Date): Promise<GridPage> {
  if (!/^\d{6,24}$/.test(code)) throw new NotFoundError(`No grid with code ${code}`);
  await limitGridPage(ip, now);
  const grid = await gridByCode(code);
  const ids = grid.path.split("/").filter(Boolean);
  const [units, settings, categories] = await Promise.all([getUnits(ids), getSettings(), allCategories()]);
  const active = new Set(categories.filter((c) => c.active).map((c) => c.id));
  return {
    grid: { ...brief(grid), centroid: grid.centroid ?? null },
    path: ids.map((id) => units.get(id)?.name ?? ""),
    countyName: settings.countyName,
    anonymousReports: settings.anonymousReports,
    categories: categories
      .filter((c) => c.active && (!c.parentId || active.has(c.parentId)))
      .map((c) => ({ id: c.id, code: c.code, name: c.name, parentId: c.parentId })),
  };
}
