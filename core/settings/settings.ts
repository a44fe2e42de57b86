import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { strip } from "../db/items.ts";

/** One level of the county hierarchy: name (for people) and the digits its code segment adds. */
export const Level = z.object({
  key: z.string().regex(/^[a-z_]{2,32}$/),
  name: z.string().min(1).max(32),
  segmentDigits: z.number().int().min(1).max(6),
});
export type Level = z.infer<typeof Level>;

export const Settings = z.object({
  countyName: z.string().min(1).max(64),
  /** 6-digit administrative division code of the county (GB/T 2260) */
  countyCode: z.string().regex(/^\d{6}$/),
  timeZone: z.string().default("Asia/Shanghai"),
  /** levels below the county root, top-down; 2..5 of them (3 to 6 levels with the county) */
  levels: z.array(Level).min(2).max(5),
  anonymousReports: z.boolean().default(false),
  defaultEvaluation: z.enum(["very_satisfied", "satisfied", "average"]).default("satisfied"),
  version: z.number().int().default(1),
  /** when the settings were last saved through the API */
  updatedAt: z.string().optional(),
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

/** County settings; cached for 30 s per warm container (they change rarely). */
export async function getSettings(fresh = false): Promise<Settings> {
  if (!fresh && cache && Date.now() - cache.at < 30_000) return cache.value;
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: settingsKey, ConsistentRead: fresh }));
  const value = out.Item ? Settings.parse(strip(out.Item)) : Settings.parse({ countyName: "未配置", countyCode: "000000", levels: DEFAULT_LEVELS });
  cache = { at: Date.now(), value };
  return value;
}

export function forgetSettings(): void {
  cache = undefined;
}

/** Level key of a unit at depth d (0 = county). */
export function levelKey(s: Settings, depth: number): string {
  return depth === 0 ? "county" : (s.levels[depth - 1]?.key ?? `level${depth}`);
}
