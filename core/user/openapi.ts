/** API reference entries of the staff handover (人走机留), spread into core/openapi/registry.ts's `routeDocs`. */
import type { RouteDoc } from "../openapi/registry.ts";
import { HandoverInput, HandoverPreview, HandoverStarted } from "./handover.ts";

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
