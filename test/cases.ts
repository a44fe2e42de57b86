import { call } from "./client.ts";
import { tokenFor } from "./fixtures.ts";

/** A point inside a user's assigned grid (its centroid), for reports. */
export async function pointIn(username: string): Promise<{ lng: number; lat: number }> {
  const token = await tokenFor(username);
  const me = await call("GET", "/v1/me", { token });
  if (me.status !== 200) throw new Error(`me: ${me.status} ${JSON.stringify(me.body)}`);
  const unit = await call("GET", `/v1/units/${me.body.assignments[0].unitId}`, { token });
  if (!unit.body?.centroid) throw new Error(`unit: ${unit.status} ${JSON.stringify(unit.body).slice(0, 300)}`);
  const [lng, lat] = unit.body.centroid;
  return { lng, lat };
}

/** Report a new case as a user (201); returns the case view. A replay (200) is not a report: send it with `call`. */
export async function report(username: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const location = await pointIn(username);
  const r = await call("POST", "/v1/cases", { token: await tokenFor(username), headers, body: { categoryId: "cat-env-garbage", description: "小区门口垃圾堆积", location, ...body } });
  if (r.status !== 201) throw new Error(`report failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function act(username: string, id: string, action: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return call("POST", `/v1/cases/${id}/${action}`, { token: await tokenFor(username), body, headers });
}

/** Act and insist on success. */
export async function must(username: string, id: string, action: string, body: Record<string, unknown> = {}) {
  const r = await act(username, id, action, body);
  if (r.status !== 200) throw new Error(`${username} ${action}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
