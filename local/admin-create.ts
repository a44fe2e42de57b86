import { createInterface } from "node:readline/promises";
import { randomBytes } from "node:crypto";
import { clock } from "../core/clock.ts";
import { DEFAULT_LEVELS, getSettings } from "../core/settings/settings.ts";
import { ensureCounty } from "../core/unit/root.ts";
import { unitIdByCode } from "../core/unit/repo.ts";
import { createStaff } from "../core/user/service.ts";
import { targetEnvironment } from "./target.ts";

/**
 * `npm run admin:create -- --stage <s> [--username admin] [--county-code 350206]`: create the first
 * county admin of a deployed stage. The password is generated and printed once (never a default).
 * On an empty table, `--county-code` (and `--county-name`, defaulting to the official name from the
 * national divisions) create the county (settings + root unit) first; the console's first-run guide
 * (#/setup) then adds its official townships and villages.
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
await targetEnvironment(args);
const settings = await getSettings(true);
const countyCode = arg("county-code", settings.countyCode)!;
let rootId = await unitIdByCode(countyCode);
if (!rootId) {
  // the name defaults to the official one of the national divisions (GB/T 2260 code)
  const official = /^\d{6}$/.test(countyCode) && !arg("county-name") ? (await import("../admin/divisions/build.ts")).loadDivisions().counties.get(countyCode) : undefined;
  const countyName = arg("county-name") ?? official?.name;
  if (!countyName || !/^\d{6}$/.test(countyCode)) {
    console.error("This table has no county yet: pass --county-code <6-digit division code> (and --county-name <name> when the code is not in the national divisions) to create it.");
    process.exit(1);
  }
  if (official) console.log(`${countyCode}: ${official.province} ${official.city} ${official.name} (national divisions)`);
  rootId = (await ensureCounty({ settings: { countyName, countyCode, timeZone: process.env.COUNTY_TZ ?? "Asia/Shanghai", levels: DEFAULT_LEVELS, anonymousReports: false, defaultEvaluation: "satisfied", version: 1 } }, clock.now())).id;
  console.log(`created county ${countyCode} ${countyName} (levels: ${DEFAULT_LEVELS.map((l) => l.name).join(" → ")}; change them in the console before adding units)`);
}
let username = arg("username");
if (!username) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  username = (await rl.question("username for the county admin: ")).trim();
  rl.close();
}
const password = randomBytes(12).toString("base64url");
const user = await createStaff(undefined, { username, displayName: "县级管理员", password, assignments: [{ role: "county_admin", unitId: rootId }] }, clock.now());
console.log(`created ${user.username} (${user.id})\npassword (shown once): ${password}`);
process.exit(0);
