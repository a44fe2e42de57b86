import { describe, it, expect } from "vitest";
import { rolePermissions } from "../../../core/auth/roles.ts";
import { ROLE_PERMISSIONS_WRITE } from "./roles.ts";

describe("duties console roles", () => {
  it("knows exactly the roles that write the registry", () => {
    const writers = Object.entries(rolePermissions).flatMap(([role, perms]) => (perms.includes("registry:write") ? [role] : []));
    expect([...ROLE_PERMISSIONS_WRITE].sort()).toEqual(writers.sort());
  });
});
