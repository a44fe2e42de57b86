import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";
import { datasetNames } from "./datasets.ts";

export const ExportState = z.enum(["requested", "approved", "ready", "refused"]);

export const RequestExport = z.strictObject({
    dataset: z.enum(datasetNames),
    unitId: IdRef(40),
    fields: z.pipe(z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.minLength(1), z.maxLength(30)), z.transform((f) => [...new Set(f)])),
    purpose: z.string().check(z.trim(), z.minLength(4, "say what the data is for (at least 4 characters)"), z.maxLength(500)),
    /** personal fields asked for in clear; the approver decides */
    unmasked: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.maxLength(10)), []),
  });

export const ApproveExport = z.strictObject({
    /** personal fields allowed in clear (a subset of those requested); default none */
    unmasked: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.maxLength(10)), []),
    note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  });

export const RefuseExport = z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(500)) });

export const ExportQuery = z.object({
  state: z.optional(ExportState),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

export type ExportRequest = {
  id: string;
  dataset: string;
  unitId: string;
  unitPath: string;
  unitCode: string;
  unitName: string;
  fields: string[];
  purpose: string;
  unmaskedRequested: string[];
  unmaskedApproved: string[];
  state: z.infer<typeof ExportState>;
  requestedBy: { id: string; name?: string };
  departmentId?: string;
  decidedBy?: { id: string; name?: string };
  decidedAt?: string;
  decisionNote?: string;
  objectKey?: string;
  filename?: string;
  rowCount?: number;
  readyAt?: string;
  downloads: number;
  version: number;
  createdAt: string;
  updatedAt: string;
};
