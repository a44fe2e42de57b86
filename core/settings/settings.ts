import * as z from "zod/mini";
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import type { Refresher } from "../config/repo.ts";
import { readSettingsItem } from "./repo-read.ts";
import { Duration } from "../calendar/schema.ts";
import { DEFAULT_DEADLINES } from "../category/rules.ts";
import { DEFAULT_MASKS, MaskStyle } from "../crypto/mask.ts";
import { IMPORT_FILE_RETENTION_MAX_DAYS } from "../job/retention-bounds.ts";

/** One level of the county hierarchy: name (for people) and the digits its code segment adds. */
export const Level = z.object({
  key: z.string().check(z.maxLength(32), z.regex(/^[a-z_]{2,32}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(32)),
  segmentDigits: z.number().check(z.int(), z.gte(1), z.lte(6)),
});
export type Level = z.infer<typeof Level>;

/** County defaults of the case loop: what a category that does not say (nor its parent) gets. */
export const CaseDefaults = z.object({
  /** per-stage time limits; the claim stage's limit is the length of the claim window (whether a category has one is its own rule) */
  deadlines: z._default(z.object({ accept: Duration, claim: Duration, dispatch: Duration, handle: Duration, verify: Duration, evaluate: Duration }), { ...DEFAULT_DEADLINES }),
  /** hours an overdue case may hang before supervision, and between the supervision reminders after it */
  superviseAfterHours: z._default(z.number().check(z.positive(), z.lte(24 * 30)), 24),
});
export type CaseDefaults = z.infer<typeof CaseDefaults>;

/** The county's case defaults: as saved, else the built-in ones. */
export const caseDefaultsOf = (s: { caseDefaults?: CaseDefaults }): CaseDefaults => s.caseDefaults ?? CaseDefaults.parse({});

/** The case events that escalate: a stage overdue, supervision (督办) and its reminders, an escalation up the ladder or the hierarchy. */
export const ESCALATION_EVENTS = ["overdue", "supervised", "supervision_reminder", "escalated"] as const;
export type EscalationEvent = (typeof ESCALATION_EVENTS)[number];

/**
 * The county's escalation rules: for each escalating event, the levels (level keys, `county` = the
 * dispatch centre's dispatchers and the supervisors) whose staff on the case's path are told,
 * besides the owner's own staff. Only levels above the owner count (a department or a user owner:
 * every named level of the case's path; a department's superior, the centre, is always told of its
 * overdue). An event the rules do not name: the built-in default, the unit directly above the
 * owner for an overdue, nobody beyond the owner otherwise (core/notify/inbox.ts).
 */
export const EscalationRules = z.catchall(z.partial(z.object(Object.fromEntries(ESCALATION_EVENTS.map((e) => [e, z.array(z.string().check(z.maxLength(32), z.regex(/^[a-z_]{2,32}$/))).check(z.maxLength(6))])) as Record<EscalationEvent, z.ZodMiniArray<z.ZodMiniString>>)), z.never());
export type EscalationRules = z.infer<typeof EscalationRules>;

/**
 * Controls on personal data a county can set (docs/security.md): quotas on revealing and on exact
 * search of the registry (per user in rolling windows, per community and county day), the mask
 * style, and how long personal data is kept (PIPL: resident accounts, audit months, case
 * attachments, people who moved away, uploads never attached, import files, duty photos; the daily `retention` job).
 */
export const Privacy = z.strictObject({
    /** reveals of sealed fields per user in any 24 hours */
    revealsPerUserDay: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 50),
    /** exact registry searches (ID number / phone) per user in any hour */
    searchesPerUserHour: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 30),
    /** a resident account unused this long is anonymised (days) */
    residentRetentionDays: z._default(z.number().check(z.int(), z.gte(30), z.lte(3650)), 730),
    /** audit entries are kept this many whole months, then deleted by the daily retention job (at least 6: Cybersecurity Law) */
    auditRetentionMonths: z._default(z.number().check(z.int(), z.gte(6), z.lte(120)), 36),
    /** how ID numbers and phones are masked in every answer, export and audit diff (core/crypto/mask.ts: safe bounds) */
    masks: z._default(MaskStyle, DEFAULT_MASKS),
    /**
     * distinct records of one community (the unit two levels below the county) revealed per county
     * day, by everyone together (core/registry/unit-quota.ts); at most 5000 (one counter item)
     */
    revealsPerUnitDay: z._default(z.number().check(z.int(), z.gte(1), z.lte(5000)), 100),
    /** photos and other attachments of a case (residents' uploads and staff photos) are deleted this many days after it closed */
    caseAttachmentRetentionDays: z._default(z.number().check(z.int(), z.gte(30), z.lte(3650)), 730),
    /** a registry person marked as moved away is deleted this many days later */
    movedAwayRetentionDays: z._default(z.number().check(z.int(), z.gte(7), z.lte(3650)), 365),
    /** an upload (presigned PUT) never attached to a case, visit or patrol is deleted this many hours after it was issued (core/attachment/pending.ts) */
    unattachedUploadRetentionHours: z._default(z.number().check(z.int(), z.gte(24), z.lte(2160)), 168),
    /** files under `imports/` (job inputs, error reports, activation sheets, import uploads) are deleted this many days after their import (core/job/retention.ts) */
    importFileRetentionDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(IMPORT_FILE_RETENTION_MAX_DAYS)), 30),
    /** evidence photos attached to visits, patrols and task completions are deleted this many days after the record (core/duty/photo-retention.ts) */
    dutyPhotoRetentionDays: z._default(z.number().check(z.int(), z.gte(30), z.lte(3650)), 730),
  });
export type Privacy = z.infer<typeof Privacy>;

/** The county's privacy controls: as saved, else the built-in defaults. */
export const privacyOf = (s: { privacy?: Privacy }): Privacy => s.privacy ?? Privacy.parse({});

export const Settings = z.object({
  countyName: z.string().check(z.minLength(1), z.maxLength(64)),
  /** 6-digit administrative division code of the county (GB/T 2260) */
  countyCode: z.string().check(z.maxLength(6), z.regex(/^\d{6}$/)),
  timeZone: z._default(z.string(), "Asia/Shanghai"),
  /** levels below the county root, top-down; 2..5 of them (3 to 6 levels with the county) */
  levels: z.array(Level).check(z.minLength(2), z.maxLength(5)),
  anonymousReports: z._default(z.boolean(), false),
  defaultEvaluation: z._default(z.enum(["very_satisfied", "satisfied", "average"]), "satisfied"),
  /** absent until first saved: `caseDefaultsOf` gives the built-in defaults then */
  caseDefaults: z.optional(CaseDefaults),
  /**
   * A unit boundary outside its parent or overlapping a sibling (beyond the tolerance of
   * core/geo/topology.ts): `refuse` (400 naming the field and the sibling) or `warn` (accepted, the
   * problems recorded on the unit as `boundaryWarnings` and in the audit). Absent = refuse.
   */
  boundaryCheck: z.optional(z.enum(["refuse", "warn"])),
  /** who beyond the owner hears of an escalation, by level (EscalationRules); absent = the built-in default */
  escalation: z.optional(EscalationRules),
  /** quotas and retention of personal data (Privacy); absent = the built-in defaults */
  privacy: z.optional(Privacy),
  /**
   * What a grid's QR code carries instead of the console's resident page: an https URL with `{code}`
   * (the grid code), e.g. a prefix registered for the county's mini-program under WeChat's
   * "扫普通链接二维码打开小程序", which opens the configured page with the URL (docs/partner-api.md "WeChat").
   * Absent = `<console origin>/resident/?grid=<code>`.
   */
  residentQrTarget: z.optional(z.string().check(z.maxLength(300), z.regex(/^https:\/\/[^\s{}]+(\{code\}[^\s{}]*)+$/, "an https URL containing {code}"))),
  version: z._default(z.number().check(z.int()), 1),
  /** when the settings were last saved through the API */
  updatedAt: z.optional(z.string().check(z.maxLength(40))),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_LEVELS: Settings["levels"] = [
  { key: "street", name: "街道/乡镇", segmentDigits: 3 },
  { key: "community", name: "社区/村", segmentDigits: 3 },
  { key: "grid", name: "网格", segmentDigits: 3 },
  { key: "micro_grid", name: "微网格", segmentDigits: 2 },
];

export const settingsKey = keys.settings();

let cache: { at: number; value: Settings } | undefined;
/** The read in flight, shared by the callers that need the settings meanwhile (a cold container's first request, the retention job's steps). */
let reading: Promise<Settings> | undefined;
/** Moves on each forgetSettings: a read started before it neither fills the cache nor serves later callers. */
let generation = 0;

/** How long a warm container trusts the settings it read. */
export const SETTINGS_TTL_MS = 30_000;
const settingsOf = (raw: Record<string, unknown> | undefined): Settings =>
  raw ? Settings.parse(strip(raw)) : Settings.parse({ countyName: "未配置", countyCode: "000000", levels: DEFAULT_LEVELS });

/** The settings' refresh, for a read the request makes anyway (core/config/repo.ts `readWithConfig`; #16). */
export const settingsRefresher: Refresher = {
  name: "settings",
  key: settingsKey,
  due: (_now, early = false) => !cache || Date.now() < cache.at || Date.now() - cache.at >= (early ? SETTINGS_TTL_MS / 2 : SETTINGS_TTL_MS),
  apply: (raw) => {
    cache = { at: Date.now(), value: settingsOf(raw) };
  },
};

/** County settings; cached for 30 s per warm container (they change rarely; the case loop refreshes them with the case read). */
export async function getSettings(fresh = false): Promise<Settings> {
  if (!fresh && cache && Date.now() - cache.at < SETTINGS_TTL_MS && Date.now() >= cache.at) return cache.value;
  if (!fresh && reading) return reading;
  const gen = generation;
  const read = readSettingsItem(fresh).then((raw) => {
    const value = settingsOf(raw);
    if (gen === generation) cache = { at: Date.now(), value };
    return value;
  });
  if (!fresh) {
    reading = read;
    const done = () => {
      if (reading === read) reading = undefined;
    };
    read.then(done, done);
  }
  return read;
}

export function forgetSettings(): void {
  cache = undefined;
  reading = undefined;
  generation++;
}

/** Level key of a unit at depth d (0 = county). */
export function levelKey(s: Settings, depth: number): string {
  return depth === 0 ? "county" : (s.levels[depth - 1]?.key ?? `level${depth}`);
}
