import { describe, it, expect } from "vitest";
import { notificationReadPath } from "./notifications.ts";

describe("notifications", () => {
  it("are marked read with their id URL-encoded", () => {
    expect(notificationReadPath("2026-05-01T08:00:00.000Z#01HXCASE:3:0")).toBe("/v1/me/notifications/2026-05-01T08%3A00%3A00.000Z%2301HXCASE%3A3%3A0/read");
  });
});
