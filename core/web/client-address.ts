import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { awsJsonCall } from "../aws-json.ts";
import { clock } from "../clock.ts";
import { logger } from "../log.ts";

/**
 * The address a request counts under (per-address limits such as the failed-login window of
 * core/user/login.ts). The console reaches the API through its own CloudFront distribution
 * (`/v1/*`, stacks/console-api.ts), so the TCP source API Gateway sees for a console sign-in is a
 * CloudFront edge, shared by every staff member of the county. The distribution therefore sends:
 * - `x-wangge-viewer-address`: the viewer's address (`event.viewer.ip`), set by its viewer-request
 *   function, which overwrites any header of that name the viewer sent;
 * - `x-wangge-origin-proof`: an origin custom header holding the county's ORIGIN_PROOF secret
 *   (Secrets Manager, generated at deploy; CloudFront replaces a viewer header of that name).
 *
 * Only when the proof matches one of the accepted values (constant-time comparison) is the viewer
 * address used; otherwise — a direct call of the execute-api URL, a forged viewer header, a wrong
 * or missing proof, a function not given the secret, the secret unreadable — the TCP source stays.
 * See docs/security.md "Client address behind the console's CloudFront".
 */
export const VIEWER_ADDRESS_HEADER = "x-wangge-viewer-address";
export const ORIGIN_PROOF_HEADER = "x-wangge-origin-proof";

/** Accepted proofs kept per container this long, then read again (a rotation reaches warm containers within it). */
export const PROOF_TTL_MS = 5 * 60_000;

/**
 * Where the proof comes from: locally / in tests `WANGGE_ORIGIN_PROOF` (one or more values,
 * whitespace-separated); in AWS `WANGGE_ORIGIN_PROOF_ARN`, the Secrets Manager secret's ARN (never
 * its value), set only on the functions granted its read (stacks/areas.ts `originProof`). Neither
 * set: no proof is ever accepted and every request counts under its TCP source (`npm start`).
 */
const configured = () => Boolean(process.env.WANGGE_ORIGIN_PROOF || process.env.WANGGE_ORIGIN_PROOF_ARN);

let cached: { proofs: Promise<Buffer[]>; at: number } | undefined;
let lastGood: Buffer[] | undefined;

const digest = (v: string) => createHash("sha256").update(v, "utf8").digest();

async function loadProofs(): Promise<Buffer[]> {
  const direct = process.env.WANGGE_ORIGIN_PROOF;
  if (direct) return direct.split(/\s+/).filter(Boolean).map(digest);
  const arn = process.env.WANGGE_ORIGIN_PROOF_ARN!;
  // AWSCURRENT and, during a rotation, AWSPREVIOUS (docs/deploy.md "Origin proof"): CloudFront may still send the old one
  const [current, previous] = await Promise.all([getSecretValue(arn, "AWSCURRENT"), getSecretValue(arn, "AWSPREVIOUS").catch(() => undefined)]);
  if (!current) throw new Error("ORIGIN_PROOF has no current value");
  return [current, previous].filter((v): v is string => Boolean(v)).map(digest);
}

function proofs(): Promise<Buffer[]> {
  const now = clock.now().getTime();
  if (!cached || now - cached.at >= PROOF_TTL_MS) {
    const entry = {
      at: now,
      proofs: loadProofs().then(
        (p) => (lastGood = p),
        (e) => {
          if (cached === entry) cached = undefined;
          if (lastGood) return lastGood;
          throw e;
        },
      ),
    };
    cached = entry;
  }
  return cached.proofs;
}

/** Forget the cached proofs (tests change the environment). */
export function resetOriginProof(): void {
  cached = undefined;
  lastGood = undefined;
}

/**
 * The viewer's address when the request carries a matching origin proof and a valid viewer
 * address; the TCP source otherwise. `headers` have lower-case names.
 */
export async function clientAddress(headers: Record<string, string>, tcpSource: string): Promise<string> {
  const proof = headers[ORIGIN_PROOF_HEADER];
  const viewer = headers[VIEWER_ADDRESS_HEADER]?.trim();
  if (!proof || !viewer || !configured() || !isIP(viewer)) return tcpSource;
  let accepted: Buffer[];
  try {
    accepted = await proofs();
  } catch (e) {
    logger.warn("origin proof unreadable: counting under the TCP source", { error: (e as Error).message });
    return tcpSource;
  }
  // equal-length digests: the comparison takes the same time whatever the sent value is
  const sent = digest(proof);
  let ok = false;
  for (const a of accepted) ok = timingSafeEqual(a, sent) || ok;
  return ok ? viewer.toLowerCase() : tcpSource;
}

/** Secrets Manager's endpoint for the region (`.amazonaws.com.cn` in China); AWS_ENDPOINT_URL_SECRETS_MANAGER overrides it. */
export function secretsManagerEndpoint(region = process.env.AWS_REGION ?? "us-east-1"): string {
  const override = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  if (override) return override.replace(/\/$/, "");
  return `https://secretsmanager.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/**
 * `GetSecretValue` as one signed HTTPS request (core/aws-json.ts, like core/auth/secret.ts reads SSM): no
 * Secrets Manager SDK client on the request path. Signed with the execution role's credentials.
 */
export async function getSecretValue(secretId: string, versionStage: string): Promise<string | undefined> {
  const res = await awsJsonCall("secretsmanager", `${secretsManagerEndpoint(process.env.AWS_REGION)}/`, "secretsmanager.GetSecretValue", JSON.stringify({ SecretId: secretId, VersionStage: versionStage }));
  if (!res.ok) throw new Error(`Secrets Manager GetSecretValue ${versionStage}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  const out = JSON.parse(await res.text()) as { SecretString?: string };
  return out.SecretString;
}
