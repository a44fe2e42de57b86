import { awsJsonCall } from "../aws-json.ts";
import { clock } from "../clock.ts";

/**
 * The JWT signing key. Locally `WANGGE_JWT_SECRET` is set by local/ (a generated key kept in
 * the data folder). In AWS it is the SST `Config.Secret` JWT_SECRET, an SSM SecureString at
 * `/sst/<app>/<stage>/Secret/JWT_SECRET/value`, read with ONE signed HTTPS request
 * (`AmazonSSM.GetParameter`, signed and sent by core/aws-json.ts with what the DynamoDB client
 * already carries) instead of the SSM SDK client (~240 KB minified, most of a cold start's import
 * time for small functions): see docs/deploy.md "JWT secret". The function's own role credentials
 * sign the request (Lambda puts them in the environment); the value never appears in the function's
 * configuration.
 *
 * Kept per container for SECRET_TTL_MS, then read again, so a rotated secret reaches warm
 * containers within that time even without the restart `sst secrets set` triggers. If a refresh
 * fails, the key already held keeps serving (a transient SSM error must not sign everyone out).
 */
export const SECRET_TTL_MS = 5 * 60_000;

/** The shortest key accepted, locally and deployed alike (HS256 wants at least its hash length). */
export const MIN_KEY_BYTES = 32;

/**
 * One secret kept per container (see above): `env` holds it locally, else the SST secret `name`
 * is read from SSM. Its value may hold several keys separated by whitespace: the first is current,
 * the others are earlier keys still accepted while a rotation settles (the resident key uses this).
 */
function secretLoader(name: string, env: string, several: boolean) {
  let cached: { keys: Promise<Uint8Array[]>; at: number } | undefined;
  let lastGood: Uint8Array[] | undefined;
  const get = (): Promise<Uint8Array[]> => {
    const now = clock.now().getTime();
    if (!cached || now - cached.at >= SECRET_TTL_MS) {
      const entry = {
        at: now,
        keys: load(name, env, several).then(
          (keys) => (lastGood = keys),
          (e) => {
            if (cached === entry) cached = undefined;
            if (lastGood) return lastGood;
            throw e;
          },
        ),
      };
      cached = entry;
    }
    return cached.keys;
  };
  const reset = () => {
    cached = undefined;
    lastGood = undefined;
  };
  return { get, reset };
}

const jwt = secretLoader("JWT_SECRET", "WANGGE_JWT_SECRET", false);
const resident = secretLoader("RESIDENT_KEY", "WANGGE_RESIDENT_KEY", true);

/** The staff JWT signing key (the first key of JWT_SECRET). */
export async function jwtKey(): Promise<Uint8Array> {
  return (await jwt.get())[0];
}

/**
 * The resident channel's keys (its own secret, RESIDENT_KEY / WANGGE_RESIDENT_KEY, never derived
 * from the JWT key): current first, then earlier ones during a rotation. Resident access tokens and
 * phone/code HMACs derive their keys from these (core/resident/keys.ts).
 */
export function residentKeys(): Promise<Uint8Array[]> {
  return resident.get();
}

const PLACEHOLDER = "__FETCH_FROM_SSM__";

/** Split a secret into its keys and check each one's length (a short key is refused, with the way to set a good one). */
export function parseKeys(name: string, value: string | undefined, where: string, several = false): Uint8Array[] {
  const parts = several ? (value ?? "").split(/\s+/).filter(Boolean) : value ? [value] : [];
  if (!parts.length) throw new Error(`${name} is empty: ${where}`);
  const keys = parts.map((k) => new TextEncoder().encode(k));
  const short = keys.findIndex((k) => k.length < MIN_KEY_BYTES);
  if (short >= 0) {
    throw new Error(`${name} must be at least ${MIN_KEY_BYTES} bytes (key ${short + 1} has ${keys[short].length}): ${where}`);
  }
  return keys;
}

async function load(name: string, env: string, several: boolean): Promise<Uint8Array[]> {
  const direct = process.env[env];
  if (direct && direct !== PLACEHOLDER) return parseKeys(name, direct, `set ${env} to 32+ random bytes, e.g. openssl rand -base64 32`, several);
  const app = process.env.SST_APP;
  const stage = process.env.SST_STAGE;
  if (!app || !stage) throw new Error(`No ${name} configured (${env} or SST Config.Secret ${name})`);
  const value = await getParameter(`/sst/${app}/${stage}/Secret/${name}/value`);
  return parseKeys(name, value, `${name} must be set: npx sst secrets set ${name} <32+ chars>`, several);
}

/** SSM's endpoint for the function's region (`.amazonaws.com.cn` in the China partition); AWS_ENDPOINT_URL_SSM overrides it. */
export function ssmEndpoint(region = process.env.AWS_REGION ?? "us-east-1"): string {
  const override = process.env.AWS_ENDPOINT_URL_SSM;
  if (override) return override.replace(/\/$/, "");
  return `https://ssm.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/** `GetParameter` with decryption, signed with the DynamoDB client's credentials (the execution role's, from the environment, in Lambda). */
export async function getParameter(name: string): Promise<string | undefined> {
  const res = await awsJsonCall("ssm", `${ssmEndpoint(process.env.AWS_REGION)}/`, "AmazonSSM.GetParameter", JSON.stringify({ Name: name, WithDecryption: true }));
  if (!res.ok) throw new Error(`SSM GetParameter ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  const out = JSON.parse(await res.text()) as { Parameter?: { Value?: string } };
  return out.Parameter?.Value;
}

export function resetJwtKey(): void {
  jwt.reset();
  resident.reset();
}
