/** The staff list (`GET /v1/users`, the staff export): apart from core/user/service.ts's writes, which reach the handover and the SQS client (issue #15). */
import * as z from "zod/mini";
import { Cursor, IdFilter } from "../db/ids.ts";
import type { Page } from "../db/page.ts";
import type { Principal } from "../auth/principal.ts";
import { RoleName } from "../auth/roles.ts";
import { parse } from "../validate.ts";
import { usersPage } from "./repo.ts";
import { publicUser, type User } from "./schema.ts";
import { visibleUser as visible } from "./visibility.ts";

export const UserQuery = z.object({
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  unitId: z.optional(IdFilter(40)),
  role: z.optional(RoleName),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

export async function listStaff(p: Principal, input: unknown): Promise<Page<User>> {
  const q = parse(UserQuery, input, "query");
  return usersPage<User>(q.q, q, (u) => {
    if (!visible(p, u, "users:read")) return undefined;
    if (q.unitId && !u.assignments.some((a) => a.unitId === q.unitId)) return undefined;
    if (q.role && !u.assignments.some((a) => a.role === q.role)) return undefined;
    return publicUser(u);
  });
}

