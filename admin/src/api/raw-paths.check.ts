/**
 * Compile-time checks of the paths screens may send through getRaw/postRaw/putRaw (`npm run
 * typecheck` fails when one of these stops holding): documented paths with their parameters filled
 * pass, a path the API does not serve or does not serve for that method does not.
 */
import type { RawPath } from "../dataProvider.ts";

export const accepted: RawPath<"get">[] = ["/v1/units/01HUNIT", "/v1/appraisals/2026-11/map", "/v1/cases/01HCASE/attachments/cases/x/photo.jpg"];
export const acceptedPost: RawPath<"post">[] = ["/v1/me/notifications/2026%3A1/read", "/v1/auth/login"];

// @ts-expect-error a path the API does not serve
export const unknownPath: RawPath<"get"> = "/v1/unitz";
// @ts-expect-error served for POST only
export const postOnly: RawPath<"get"> = "/v1/auth/login";
// @ts-expect-error the version prefix is part of every path
export const noVersion: RawPath<"get"> = "/units/01HUNIT";
