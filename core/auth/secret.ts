import { AwsClient } from "aws4fetch";
import { clock } from "../clock.ts";

/**
 * The JWT signing key. Locally `WANGGE_JWT_SECRET` is set by local/ (a generated key kept in
 * the data folder). In AWS it is the SST `Config.Secret` JWT_SECRET, an SSM SecureString at
 * `/sst/<app>/<stage>/Secret/JWT_SECRET/value`, read with ONE signed HTTPS request
 * (`AmazonSSM.GetParameter`, SigV4 by aws4fetch, ~6 KB) instead of the SSM SDK client (~240 KB
 * minified, most of a cold start's import time for small functions): see docs/deploy.md "JWT secret".
 * The function's own role credentials sign the request (Lambda puts them in the environment); the
 * value never appears in the function's configuration.
 *
 * Kept per container for SECRET_TTL_MS, then read again, so a rotated secret reaches warm
 * containers within that time even without the restart `sst secrets set` triggers. If a refresh
 * fails, the key already held keeps serving (a transient SSM error must not sign everyone out).
 */
export const SECRET_TTL_MS = 5 * 60_000;

let cached: { key: Promise<Uint8Array>; at: number } | undefined;
let lastGood: Uint8Array | undefined;

export function jwtKey(): Promise<Uint8Array> {
  const now = clock.now().getTime();
  if (!cached || now - cached.at >= SECRET_TTL_MS) {
    const entry = {
      at: now,
      key: load().then(
        (key) => (lastGood = key),
        (e) => {
          if (cached === entry) cached = undefined;
          if (lastGood) return lastGood;
          throw e;
        },
      ),
    };
    cached = entry;
  }
  return cached.key;
}

const PLACEHOLDER = "__FETCH_FROM_SSM__";

async function load(): Promise<Uint8Array> {
  const direct = process.env.WANGGE_JWT_SECRET;
  if (direct && direct !== PLACEHOLDER) return new TextEncoder().encode(direct);
  const app = process.env.SST_APP;
  const stage = process.env.SST_STAGE;
  if (!app || !stage) throw new Error("No JWT secret configured (WANGGE_JWT_SECRET or SST Config.Secret JWT_SECRET)");
  const value = await getParameter(`/sst/${app}/${stage}/Secret/JWT_SECRET/value`);
  if (!value || value.length < 32) throw new Error("JWT_SECRET must be set: npx sst secrets set JWT_SECRET <32+ chars>");
  return new TextEncoder().encode(value);
}

/** SSM's endpoint for the function's region (`.amazonaws.com.cn` in the China partition); AWS_ENDPOINT_URL_SSM overrides it. */
export function ssmEndpoint(region = process.env.AWS_REGION ?? "us-east-1"): string {
  const override = process.env.AWS_ENDPOINT_URL_SSM;
  if (override) return override.replace(/\/$/, "");
  return `https://ssm.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/** `GetParameter` with decryption, signed with the environment's credentials (the execution role's in Lambda). */
export async function getParameter(name: string): Promise<string | undefined> {
  const region = process.env.AWS_REGION ?? "us-east-1";
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error("No AWS credentials in the environment to read the JWT secret");
  const aws = new AwsClient({ accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN, region, service: "ssm", retries: 3 });
  const res = await aws.fetch(`${ssmEndpoint(region)}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" },
    body: JSON.stringify({ Name: name, WithDecryption: true }),
  });
  if (!res.ok) throw new Error(`SSM GetParameter ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  const out = (await res.json()) as { Parameter?: { Value?: string } };
  return out.Parameter?.Value;
}

export function resetJwtKey(): void {
  cached = undefined;
  lastGood = undefined;
}
