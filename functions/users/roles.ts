import { api } from "../http.ts";
import { RoleName, rolePermissions } from "../../core/auth/roles.ts";

/** The role → permission matrix, for the console and partner documentation. */
export const handler = api(async () => ({ items: RoleName.options.map((role) => ({ id: role, permissions: rolePermissions[role] })), nextCursor: null }));
