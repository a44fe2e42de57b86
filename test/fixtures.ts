import { login } from "./client.ts";

/** Password of every demo user in tests (set by test/global-setup.ts). */
export const DEMO_PASSWORD = "demo-password-for-tests";

const tokens = new Map<string, Promise<string>>();

/** An access token for a demo user (admin, center, supervisor, street1, community1, leader1, instructor1, worker1, worker2, dept1, dept2, auditor). */
export function tokenFor(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = login(username, DEMO_PASSWORD);
    tokens.set(username, t);
  }
  return t;
}

export const adminToken = () => tokenFor("admin");
