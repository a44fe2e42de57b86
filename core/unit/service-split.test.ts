import { beforeAll, describe, expect, it } from "vitest";
import { moduleGraph } from "../../test/module-graph.ts";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { resetDb } from "../db/client.ts";
import { createUnit, updateUnit } from "./service-core.ts";
import { getUnit } from "./repo.ts";

/**
 * The unit writes split by what they load (issue #15, config area): create, update and deactivate
 * requests do not load the move (core/unit/service-move.ts, the job start, the move job's runner),
 * a move request does not load the runner to name its job kind (core/unit/move-kind.ts), and the
 * boundary check (core/unit/boundary.ts → polyclip-ts) is reached only by a write that carries a
 * boundary — never by core/unit/service-core.ts itself, which the Excel unit workbook uses.
 */
const graph = moduleGraph; // esbuild's module graph: what each entry reaches statically (initial) and with its lazy imports (all)
const hits = (files: string[], parts: string[]) => parts.filter((p) => files.some((f) => f.includes(p)));

const MOVE = ["core/unit/service-move.ts", "core/unit/move-start.ts", "core/unit/move-job.ts", "core/unit/move.ts"];
const BOUNDARY = ["core/unit/boundary.ts", "core/geo/topology.ts", "node_modules/polyclip-ts/"];

describe("unit writes load what they use", () => {
  it("create, update and deactivate never reach the move; create and update reach the boundary check only through a lazy import, deactivate not at all; the move names its job kind without the runner", async () => {
    const routes = ["functions/units/create.ts", "functions/units/update.ts", "functions/units/deactivate.ts", "functions/units/move.ts", "core/unit/service-core.ts"];
    const g = await graph(routes);
    for (const r of routes.slice(0, 3)) {
      expect(hits(g.all(r), MOVE), r).toEqual([]);
      expect(hits(g.initial(r), BOUNDARY), r).toEqual([]);
    }
    expect(hits(g.all("functions/units/deactivate.ts"), BOUNDARY)).toEqual([]);
    expect(hits(g.all("functions/units/create.ts"), BOUNDARY)).toEqual(BOUNDARY);
    expect(hits(g.all("functions/units/update.ts"), BOUNDARY)).toEqual(BOUNDARY);
    // the move: its job is started (move-start.ts) and named from move-kind.ts; the runner is the consumer's
    const move = g.all("functions/units/move.ts");
    expect(hits(move, [...MOVE, "core/unit/move-kind.ts"])).toEqual(["core/unit/service-move.ts", "core/unit/move-start.ts", "core/unit/move.ts", "core/unit/move-kind.ts"]);
    // the writes without a boundary loader (the Excel unit workbook): neither the check nor the move, even lazily
    expect(hits(g.all("core/unit/service-core.ts"), [...BOUNDARY, ...MOVE])).toEqual([]);
  }, 120_000);
});

describe("unit writes without a boundary check (core/unit/service-core.ts)", () => {
  const system = { kind: "system" as const, id: "test-unit-service-core" };
  let community: { id: string; code: string };
  beforeAll(async () => {
    useStackEnv();
    resetDb();
    const admin = await adminToken();
    const r = await call("GET", "/v1/units?q=350206001001&limit=5", { token: admin });
    community = r.body.items.find((u: { code: string }) => u.code === "350206001001");
  });

  it("creates and updates a unit that carries no boundary, and refuses one with a boundary (400 naming boundary) instead of storing it unchecked", async () => {
    const now = new Date();
    const code = `${community.code}${800 + (Date.now() % 100)}`; // a grid code free in the demo county (its grids are 001…)
    const made = await createUnit(system, { parentId: community.id, code, name: "无边界网格", households: 12 }, now);
    expect(made).toMatchObject({ parentId: community.id, code, name: "无边界网格", households: 12, version: 1, active: true });
    expect(made.boundary).toBeUndefined();
    const updated = await updateUnit(system, made.id, { version: 1, name: "无边界网格二", population: 30 }, now);
    expect(updated).toMatchObject({ name: "无边界网格二", population: 30, version: 2 });
    expect(await getUnit(made.id, true)).toMatchObject({ name: "无边界网格二", population: 30, version: 2 });

    const square = { type: "Polygon", coordinates: [[[118.06, 24.44], [118.061, 24.44], [118.061, 24.441], [118.06, 24.441], [118.06, 24.44]]] };
    const refused = createUnit(system, { parentId: community.id, code: `${community.code}${900 + (Date.now() % 100)}`, name: "有边界", boundary: square }, now);
    await expect(refused).rejects.toMatchObject({ status: 400, details: { fields: [{ path: "boundary", message: "not accepted here" }] } });
    await expect(updateUnit(system, made.id, { version: 2, boundary: square }, now)).rejects.toMatchObject({ status: 400, details: { fields: [{ path: "boundary" }] } });
    expect(await getUnit(made.id, true)).toMatchObject({ version: 2 });
    expect((await getUnit(made.id, true))!.boundary).toBeUndefined();
  });
});
