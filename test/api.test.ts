import { describe, expect, it } from "vitest";
import { act, as, expectStatus, must, report } from "./api.ts";

describe("typed API client for tests (test/api.ts)", () => {
  it("reads what the document promises, as the signed-in user", async () => {
    const me = expectStatus(await as("center").GET("/v1/me"), 200);
    expect(me.kind).toBe("user");
    expect(me.kind === "user" && me.username).toBe("center");
    expect((await as().GET("/v1/me")).response.status).toBe(401);
  });

  it("refuses at compile time what the document does not have (npm run typecheck fails if one is accepted)", async () => {
    const { case: c } = await report("worker1");
    const compileOnly = () => {
      // @ts-expect-error no such path
      void as("center").GET("/v1/casez");
      // @ts-expect-error path parameter missing
      void as("center").GET("/v1/cases/{id}", {});
      // @ts-expect-error no such action
      void act("center", c.id, "explode", {});
      // @ts-expect-error `pass` is a boolean
      void must("worker1", c.id, "verify", { pass: "yes" });
      // @ts-expect-error a report needs its description and location as documented
      void as("worker1").POST("/v1/cases", { body: { categoryId: "cat-env-garbage" } });
    };
    void compileOnly;
    // the same request, typed correctly, goes through
    expect((await must("center", c.id, "accept")).case.state).toBe("claimable");
  });
});
