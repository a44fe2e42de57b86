import * as z from "zod/mini";
import { PhoneInput } from "./phone.ts";

const GridCode = z.string().check(z.trim(), z.maxLength(24), z.regex(/^\d{6,24}$/, "a grid code: digits only, 6 to 24"));

export const CodeRequest = z.strictObject({ phone: PhoneInput });
export type CodeRequest = z.infer<typeof CodeRequest>;

export const VerifyRequest = z.strictObject({
    phone: PhoneInput,
    code: z.string().check(z.trim(), z.maxLength(6), z.regex(/^\d{6}$/, "the 6-digit code from the SMS")),
    /** the grid whose QR code was scanned */
    gridCode: GridCode,
  });
export type VerifyRequest = z.infer<typeof VerifyRequest>;

export const AnonymousRequest = z.strictObject({ gridCode: GridCode });

export const ResidentRefreshRequest = z.strictObject({ refreshToken: z.string().check(z.minLength(20), z.maxLength(200)) });

/** A registered resident. No plaintext phone: an HMAC (lookup) and a masked form (display). */
export const Resident = z.object({
  id: z.string(),
  phoneHash: z.string(),
  phoneMasked: z.string(),
  /** the grid the resident registered into (by scanning its QR code) */
  unitId: z.string(),
  unitPath: z.string(),
  gridCode: z.string(),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** the last sign-in (day precision is enough): a resident unseen for privacy.residentRetentionDays is deleted (core/resident/retention.ts) */
  lastSeenAt: z.optional(z.string()),
});
export type Resident = z.infer<typeof Resident>;

export const GridBrief = z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string() });

/** What a resident sees of themselves. */
export const ResidentProfile = z.object({
  id: z.string(),
  anonymous: z.boolean(),
  phoneMasked: z.nullable(z.string()),
  grid: z.nullable(GridBrief),
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
  resendAfterSeconds: z.number().check(z.int()),
  /** only on the local stage (WANGGE_STAGE=local): the code itself, for development */
  devCode: z.optional(z.string()),
});
export type CodeSent = z.infer<typeof CodeSent>;

/** The public page of a grid behind its QR code: where the resident is and what they may report. */
export const GridPage = z.object({
  grid: z.extend(GridBrief, { centroid: z.nullable(z.tuple([z.number(), z.number()])) }),
  /** names from the county down to the grid, e.g. ["示范区", "湖里街道", "金山社区", "第1网格"] */
  path: z.array(z.string()),
  countyName: z.string(),
  anonymousReports: z.boolean(),
  categories: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), parentId: z.nullable(z.string()) })),
});
export type GridPage = z.infer<typeof GridPage>;
