/** API reference entries of the staff handover (人走机留), spread into core/openapi/registry.ts's `routeDocs`. */
import type { RouteDoc } from "../openapi/registry.ts";
import * as z from "zod/mini";
import { HandoverInput, HandoverPreview, HandoverStarted } from "./handover.ts";
import { ActivateInput } from "./activation.ts";
import { XLSX_TYPE } from "../xlsx/schema.ts";

/** API reference entries of activation codes (core/user/activation.ts). */
export const activationRouteDocs: Record<string, RouteDoc> = {
  "POST /v1/auth/activate": {
    summary: "First sign-in with an activation code",
    description:
      "An account created by a staff import has no password: its holder sends the username, the one-time activation code from the import's code sheet (case, spaces and dashes ignored) and a password of their own (at least 10 characters). 204 once the password is set; sign in with it. A wrong, used, expired or re-issued code answers 401 exactly like a wrong password and counts in the sign-in failure windows (429 with Retry-After when spent). Audited as `user.activate`.",
    tag: "auth",
    body: ActivateInput,
    status: 204,
    auth: "none",
  },
  "POST /v1/users/{id}/activation": {
    summary: "Issue a new activation code",
    description: "A new one-time code (valid 14 days) for an active user the caller manages: a lost code sheet, an expired code, a forgotten password. The earlier code stops working; a current password keeps working until the code is used. The code is shown once and stored only as its SHA-256. Audited as `user.activation`.",
    tag: "users",
    status: 201,
    response: z.object({ code: z.string().check(z.maxLength(19), z.regex(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)), expiresAt: z.iso.datetime() }),
  },
  "GET /v1/jobs/{id}/activation-codes.xlsx": {
    summary: "The activation codes a staff import issued",
    description: "A sheet of the accounts the import created without a password, each with its one-time code and expiry, for the admin who ran the import (404 for anyone else, or when it issued none; 409 while it runs).",
    tag: "jobs",
    responseTypes: { [XLSX_TYPE]: "binary" },
  },
};


export const handoverRouteDocs: Record<string, RouteDoc> = {
  "GET /v1/users/{id}/handover": {
    summary: "What a staff member holds, before a handover",
    description:
      "Role assignments that carry grid work and the pending grids of active tasks (these move), open cases of their units and households of their grids (these follow the assignments), the work a deactivation would strand (`open`), the users who may take it (`successors`), each unit's default successor, and the last handover.",
    tag: "users",
    response: HandoverPreview,
  },
  "POST /v1/users/{id}/handover": {
    summary: "Hand a leaving staff member's work over (人走机留)",
    description:
      "Moves the user's grid role assignments and pending task grids to `successorId` (an active user the caller manages who holds a grid role) or, without one, to each grid's leader (grid leader on the grid or above, else community, else street staff). Runs as a job: answers 202 `{jobId}`, poll `GET /v1/jobs/{id}`; a repeated request (same Idempotency-Key, or while the handover runs) answers 200 with the same job. Refusals name the field: `successorId` (`unknown_user`, `same_user`, `inactive_user` 409, `not_grid_staff`, `too_many_assignments`, `no_default_successor` 409, `handover_in_progress` 409), `id` (`nothing_to_hand_over` 409). Audited as `user.handover`.",
    tag: "users",
    body: HandoverInput,
    bodyOptional: true,
    headers: [{ name: "Idempotency-Key", description: "Retry-safe requests: a repeated key returns the first handover's job (24 h). Letters, digits, _ . : - (≤128)." }],
    status: 202,
    response: HandoverStarted,
  },
};
