import { describe, it, expect, beforeAll } from "vitest";
import { useStackEnv } from "../../test/client.ts";
import { db } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { NotFoundError } from "../errors.ts";
import { forgetSettings, getSettings } from "../settings/settings.ts";
import { listServices, serviceDefinition } from "./service-list.ts";

/**
 * The catalog methods on a cold container (#15 cold init, the partner area's first request in
 * bench/bundles.ts): the settings (for the jurisdiction check) and the categories are read at once,
 * not one after the other. The SDK middleware below holds the settings' GetItem until the
 * categories' Query has started (2 s at most), so a read after the other is seen as such.
 * The demo county on the stack's DynamoDB Local.
 */
const log: string[] = [];
let holdSettings = false;

beforeAll(() => {
  useStackEnv();
  const settings = keys.settings();
  db().middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const pk = args.input?.Key?.pk?.S ?? args.input?.Key?.pk;
      const name = `${String(context.commandName).replace(/Command$/, "")}${pk === settings.pk ? " settings" : ""}`;
      log.push(`start ${name}`);
      if (holdSettings && name === "GetItem settings") for (let t = Date.now(); !log.includes("start Query") && Date.now() - t < 2000; ) await new Promise((r) => setTimeout(r, 5));
      try {
        return await next(args);
      } finally {
        log.push(`end ${name}`);
      }
    },
    { step: "initialize", name: "serviceListTestSpy" },
  );
});

describe("GeoReport catalog methods on a cold container", () => {
  it("services: reads the categories while the settings are read; the list as before", async () => {
    forgetSettings();
    log.length = 0;
    holdSettings = true;
    const services = await listServices({});
    holdSettings = false;
    expect(log.indexOf("start Query"), log.join("\n")).toBeGreaterThanOrEqual(0);
    expect(log.indexOf("start Query"), log.join("\n")).toBeLessThan(log.indexOf("end GetItem settings"));
    expect(services.find((s) => s.service_code === "0101")).toEqual({ service_code: "0101", service_name: "垃圾堆放", description: "环境卫生 / 垃圾堆放", metadata: true, type: "realtime", keywords: "环境卫生, 垃圾堆放, 0101", group: "环境卫生" });
    expect(services.find((s) => s.service_code === "01")).toBeUndefined();
  });

  it("a service definition reads the categories once; an unknown jurisdiction or service is still 404", async () => {
    forgetSettings();
    log.length = 0;
    expect((await serviceDefinition("0101", {})).service_code).toBe("0101");
    expect(log.filter((l) => l.startsWith("start ")).sort()).toEqual(["start GetItem settings"]); // the categories read just above are kept 30 s
    const code = (await getSettings()).countyCode;
    await expect(listServices({ jurisdiction_id: code })).resolves.not.toHaveLength(0);
    await expect(listServices({ jurisdiction_id: "999999" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(serviceDefinition("0101", { jurisdiction_id: "999999" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(serviceDefinition("NOPE", {})).rejects.toBeInstanceOf(NotFoundError);
  });
});
