import { api } from "../http.ts";
import { NotFoundError } from "../../core/errors.ts";
import { permissionsOf } from "../../core/auth/principal.ts";
import { getUser } from "../../core/user/repo.ts";
import { publicUser } from "../../core/user/schema.ts";

export const handler = api(async (req) => {
  const p = req.principal;
  const permissions = [...permissionsOf(p)].sort();
  if (p.kind !== "user") return { kind: p.kind, id: p.id, permissions };
  const user = await getUser(p.id);
  if (!user || !user.active) throw new NotFoundError("User no longer exists");
  return { kind: "user", ...publicUser(user), permissions };
});
