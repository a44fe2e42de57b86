/** The part of `shapefile` (no published types) that core/geo/shapefile.ts uses. */
declare module "shapefile" {
  export function open(
    shp: ArrayBuffer,
    dbf?: ArrayBuffer,
    options?: { encoding?: string },
  ): Promise<{ read(): Promise<{ done: boolean; value: { type: "Feature"; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null } }> }>;
}
