import { describe, it, expect } from "vitest";
import { noticeView, notificationReadPath, type Notification } from "./notifications.ts";

const base: Notification = { id: "x", caseId: "", caseNumber: "", type: "", at: "2026-05-01T08:00:00.000Z", read: false };

describe("notifications", () => {
  it("are marked read with their id URL-encoded", () => {
    expect(notificationReadPath("2026-05-01T08:00:00.000Z#01HXCASE:3:0")).toBe("/v1/me/notifications/2026-05-01T08%3A00%3A00.000Z%2301HXCASE%3A3%3A0/read");
  });

  it("lead to their case, or to the task, visits or patrols they are about", () => {
    expect(noticeView({ ...base, caseId: "01H/X", caseNumber: "SM-1", type: "dispatched" })).toEqual({ to: "/cases/01H%2FX/show", typeKey: "app.cases.events.dispatched", subject: "SM-1" });
    expect(noticeView({ ...base, type: "task.assigned", title: "新任务：排查", data: { taskId: "T1" } })).toEqual({ to: "/tasks/T1/show", typeKey: "app.inbox.types.task.assigned", subject: "新任务：排查" });
    expect(noticeView({ ...base, type: "visits.overdue", title: "走访" }).to).toBe("/visits");
    expect(noticeView({ ...base, type: "patrols.missed", title: "巡查" }).to).toBe("/patrols");
    expect(noticeView({ ...base, type: "registry.quota_exceeded", title: "查询超限" })).toEqual({ to: "/audit/reveals", typeKey: "app.inbox.types.registry.quota_exceeded", subject: "查询超限" });
  });
});
