import { describe, it, expect } from "vitest";
import { NameBatcher, NAMES_PER_REQUEST, unitPathLabel, type NamesRequest, type NamesResponse } from "./names.ts";

/** A batcher whose tick is run by hand, over a fake API that knows ids starting with "k". */
function setup() {
  const sent: NamesRequest[] = [];
  let tick: (() => void) | undefined;
  const b = new NameBatcher(
    async (req) => {
      sent.push(req);
      const res: NamesResponse = { units: {}, users: {}, departments: {} };
      for (const id of req.units ?? []) if (id.startsWith("k")) res.units[id] = { id, name: `U${id}`, code: "1", level: "grid", path: ["县", "街道", `U${id}`] };
      for (const id of req.users ?? []) if (id.startsWith("k")) res.users[id] = { id, displayName: `P${id}` };
      for (const id of req.departments ?? []) if (id.startsWith("k")) res.departments[id] = { id, name: `D${id}` };
      return res;
    },
    (fn) => {
      tick = fn;
    },
  );
  return { b, sent, run: () => tick?.() };
}

describe("NameBatcher", () => {
  it("sends every id asked for in one tick in one request, each id once", async () => {
    const { b, sent, run } = setup();
    const p = Promise.all([b.load("users", "k1"), b.load("users", "k1"), b.load("units", "k2"), b.load("departments", "k3"), b.load("users", "x")]);
    run();
    const [a, a2, u, d, missing] = await p;
    expect(sent).toEqual([{ users: ["k1", "x"], units: ["k2"], departments: ["k3"] }]);
    expect(a).toEqual({ id: "k1", displayName: "Pk1" });
    expect(a2).toBe(a);
    expect(u?.path).toEqual(["县", "街道", "Uk2"]);
    expect(d).toEqual({ id: "k3", name: "Dk3" });
    expect(missing).toBeNull();
  });

  it("splits more ids than the API takes into several requests", async () => {
    const { b, sent, run } = setup();
    const ids = Array.from({ length: NAMES_PER_REQUEST + 5 }, (_, i) => `k${i}`);
    const p = Promise.all(ids.map((id) => b.load("units", id)));
    run();
    const got = await p;
    expect(sent.map((r) => r.units?.length)).toEqual([NAMES_PER_REQUEST, 5]);
    expect(got.map((u) => u?.id)).toEqual(ids);
  });

  it("rejects the callers of a failed request", async () => {
    let tick: (() => void) | undefined;
    const b = new NameBatcher(
      async () => {
        throw new Error("offline");
      },
      (fn) => {
        tick = fn;
      },
    );
    const p = b.load("users", "k1");
    tick!();
    await expect(p).rejects.toThrow("offline");
  });
});

describe("unitPathLabel", () => {
  it("shows the last three names below the county", () => {
    expect(unitPathLabel({ name: "第4微网格", path: ["东山县", "金山街道", "金山社区", "第1网格", "第4微网格"] })).toBe("金山社区 › 第1网格 › 第4微网格");
    expect(unitPathLabel({ name: "金山街道", path: ["东山县", "金山街道"] })).toBe("金山街道");
    expect(unitPathLabel({ name: "东山县", path: ["东山县"] })).toBe("东山县");
    expect(unitPathLabel({ name: "第4微网格", path: ["东山县", "金山街道", "金山社区", "第1网格", "第4微网格"] }, 2)).toBe("第1网格 › 第4微网格");
  });
});
