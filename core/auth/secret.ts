/**
 * The JWT signing key. Locally `WANGGE_JWT_SECRET` is set by local/ (a generated key kept in
 * the data folder). In AWS it is an SST `Config.Secret` (JWT_SECRET) read once per container from SSM.
 */
let cached: Promise<Uint8Array> | undefined;

export function jwtKey(): Promise<Uint8Array> {
  cached ??= load().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function load(): Promise<Uint8Array> {
  const direct = process.env.WANGGE_JWT_SECRET;
  if (direct && direct !== "__FETCH_FROM_SSM__") return new TextEncoder().encode(direct);
  const app = process.env.SST_APP;
  const stage = process.env.SST_STAGE;
  if (!app || !stage) throw new Error("No JWT secret configured (WANGGE_JWT_SECRET or SST Config.Secret JWT_SECRET)");
  const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
  const out = await new SSMClient({}).send(
    new GetParameterCommand({ Name: `/sst/${app}/${stage}/Secret/JWT_SECRET/value`, WithDecryption: true }),
  );
  const value = out.Parameter?.Value;
  if (!value || value.length < 32) throw new Error("JWT_SECRET must be set: npx sst secrets set JWT_SECRET <32+ chars>");
  return new TextEncoder().encode(value);
}

export function resetJwtKey(): void {
  cached = undefined;
}
