import { login, onExpiredToken } from "./client.ts";

/** Password of every demo user in tests (set by test/global-setup.ts). */
export const DEMO_PASSWORD = "demo-password-for-tests";

const tokens = new Map<string, Promise<string>>();
const owners = new Map<string, string>(); // token → username

/** An access token for a demo user (admin, center, supervisor, street1, community1, leader1, instructor1, worker1, worker2, dept1, dept2, auditor). */
export function tokenFor(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = login(username, DEMO_PASSWORD).then((token) => {
      owners.set(token, username);
      return token;
    });
    tokens.set(username, t);
  }
  return t;
}

export const adminToken = () => tokenFor("admin");

/** Drop cached tokens (a test file switched to another stack). */
export function forgetTokens(): void {
  tokens.clear();
  owners.clear();
}

// Tests move the shared clock: a cached token may expire under another test's feet. Log in again.
onExpiredToken(async (token) => {
  const username = owners.get(token);
  if (!username) return undefined;
  const current = await tokens.get(username);
  if (current === token) tokens.delete(username); // else another call already renewed it
  return tokenFor(username);
});
