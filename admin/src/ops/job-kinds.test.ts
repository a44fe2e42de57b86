import { describe, expect, it } from "vitest";
import { JOB_KINDS } from "../../../functions/jobs/consume.ts";
import zh from "../i18n/zh.ts";
import en from "../i18n/en.ts";

/** Every kind of background job the jobs queue runs is named on 运行状况 in both languages (no raw `xlsx-import`). */
describe("job kinds on the operations page", () => {
  it("the queue runs several kinds (the check is not vacuous)", () => {
    expect(JOB_KINDS).toEqual(expect.arrayContaining(["unit-import", "unit-move"]));
  });

  it("are named in zh-CN and English", () => {
    // areas may name their own job kinds (users: user-handover): the merged messages are what the page reads
    const zhKinds = (zh as any).app.ops.job_kinds as Record<string, string>;
    const enKinds = (en as any).app.ops.job_kinds as Record<string, string>;
    expect(JOB_KINDS.filter((k) => !zhKinds[k])).toEqual([]);
    expect(JOB_KINDS.filter((k) => !enKinds[k])).toEqual([]);
  });
});
