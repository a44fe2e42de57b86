import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../test/module-graph.ts";
import { GrantableChannel } from "../apikey/schema.ts";
import { GRANTABLE_CHANNELS } from "../apikey/channel-grant.ts";

/**
 * The partner area's writes load what they use (issue #15): `POST /open311/v2/requests` checks its
 * caller and finds its service through core/open311/caller.ts, parses with
 * core/open311/schema-create.ts and writes its extras with core/open311/repo-extras.ts, not the
 * Open311 read side (core/open311/service.ts, repo.ts, schema.ts: feeds, labels, lookups, answers); the Open311 wrapper resolves an `api_key`
 * through core/apikey/authenticate.ts and a report checks a channel grant through
 * core/apikey/channel-grant.ts, neither through the keys' management (core/apikey/service.ts).
 */
/** What an entry reaches, lazy imports included: what a container may load. */
const reach = async (entry: string): Promise<string[]> => (await moduleGraph([entry])).all(entry);

describe("Open311 POST requests and case reports load what they use", () => {
  it("POST requests reaches the caller checks, its input schema, its extras' write, the key resolution and the channel grant, not the read side nor the keys' management", async () => {
    const files = await reach("functions/open311/create.ts");
    expect(files).toEqual(expect.arrayContaining(["core/open311/caller.ts", "core/open311/schema-create.ts", "core/open311/repo-extras.ts", "core/apikey/authenticate.ts", "core/apikey/channel-grant.ts", "core/case/report.ts"]));
    // nor the read side's queries, feeds and answer schemas
    expect(files.filter((f) => ["core/open311/service.ts", "core/open311/labels.ts", "core/open311/repo.ts", "core/open311/schema.ts", "core/apikey/service.ts", "core/apikey/schema.ts"].includes(f))).toEqual([]);
  }, 120_000);

  it("a staff or resident report (core/case/report.ts) checks channel grants without the keys' management", async () => {
    const files = await reach("functions/cases/report.ts");
    expect(files).toContain("core/apikey/channel-grant.ts");
    expect(files.filter((f) => f.startsWith("core/apikey/") && f !== "core/apikey/channel-grant.ts" && f !== "core/apikey/authenticate.ts" && f !== "core/apikey/repo.ts")).toEqual([]);
  }, 120_000);

  it("the channels a key may be granted are one list: the grant check's and the key schema's", () => {
    expect(GrantableChannel.options).toEqual([...GRANTABLE_CHANNELS]);
    expect(GRANTABLE_CHANNELS).toEqual(["police", "hotline"]);
  });
});
