import * as z from "zod";
import { PhoneInput } from "./phone.ts";

const GridCode = z.string().trim().max(24).regex(/^\d{6,24}$/, "a grid code: digits only, 6 to 24");

export const CodeRequest = z.object({ phone: PhoneInput }).strict();
export type CodeRequest = z.infer<typeof CodeRequest>;

export const VerifyRequest = z
  .object({
    phone: PhoneInput,
    code: z.string().trim().max(6).regex(/^\d{6}$/, "the 6-digit code from the SMS"),
    /** the grid whose QR code was scanned */
    gridCode: GridCode,
  })
  .strict();
export type VerifyRequest = z.infer<typeof VerifyRequest>;

export const AnonymousRequest = z.object({ gridCode: GridCode }).strict();

export const ResidentRefreshRequest = z.object({ refreshToken: z.string().min(20).max(200) }).strict();

/** A registered resident. No plaintext phone: an HMAC (lookup) and a masked form (display). */
export const Resident = z.object({
  id: z.string(),
  phoneHash: z.string(),
  phoneMasked: z.string(),
  /** the grid the resident registered into (by scanning its QR code) */
  unitId: z.string(),
  unitPath: z.string(),
  gridCode: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** the last sign-in (day precision is enough): a resident unseen for privacy.residentRetentionDays is deleted (core/resident/retention.ts) */
  lastSeenAt: z.string().optional(),
});
export type Resident = z.infer<typeof Resident>;

export const GridBrief = z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string() });

/** What a resident sees of themselves. */
export const ResidentProfile = z.object({
  id: z.string(),
  anonymous: z.boolean(),
  phoneMasked: z.string().nullable(),
  grid: GridBrief.nullable(),
});
export type ResidentProfile = z.infer<typeof ResidentProfile>;

export const ResidentSession = z.object({
  accessToken: z.string(),
  expiresAt: z.string(),
  refreshToken: z.string(),
  resident: ResidentProfile,
});
export type ResidentSession = z.infer<typeof ResidentSession>;

export const CodeSent = z.object({
  sent: z.literal(true),
  phoneMasked: z.string(),
  expiresAt: z.string(),
  /** seconds before another code may be requested for this phone */
  resendAfterSeconds: z.number().int(),
  /** only on the local stage (WANGGE_STAGE=local): the code itself, for development */
  devCode: z.string().optional(),
});
export type CodeSent = z.infer<typeof CodeSent>;

/** The public page of a grid behind its QR code: where the resident is and what they may report. */
export const GridPage = z.object({
  grid: GridBrief.extend({ centroid: z.tuple([z.number(), z.number()]).nullable() }),
  /** names from the county down to the grid, e.g. ["示范区", "湖里街道", "金山社区", "第1网格"] */
  path: z.array(z.string()),
  countyName: z.string(),
  anonymousReports: z.boolean(),
  categories: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), parentId: z.string().nullable() })),
});
export type GridPage = z.infer<typeof GridPage>;
