import * as z from "zod";
import { Cursor, IdRef } from "../db/ids.ts";
import { datasetNames } from "./datasets.ts";

export const ExportState = z.enum(["requested", "approved", "ready", "refused"]);

export const RequestExport = z
  .object({
    dataset: z.enum(datasetNames),
    unitId: IdRef(40),
    fields: z
      .array(z.string().min(1).max(40))
      .min(1)
      .max(30)
      .transform((f) => [...new Set(f)]),
    purpose: z.string().trim().min(4, "say what the data is for (at least 4 characters)").max(500),
    /** personal fields asked for in clear; the approver decides */
    unmasked: z.array(z.string().min(1).max(40)).max(10).default([]),
  })
  .strict();

export const ApproveExport = z
  .object({
    /** personal fields allowed in clear (a subset of those requested); default none */
    unmasked: z.array(z.string().min(1).max(40)).max(10).default([]),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const RefuseExport = z.object({ reason: z.string().trim().min(1, "required").max(500) }).strict();

export const ExportQuery = z.object({
  state: ExportState.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
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
