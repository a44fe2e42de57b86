/**
 * Which Shapefile attribute holds which unit field: the usual names in county GIS files, compared
 * without case (pure; shared by the import job and the console's mapping form).
 */
export const SHAPEFILE_KEYS = ["code", "name", "parentCode", "level", "type", "households", "population"] as const;
export type ShapefileKey = (typeof SHAPEFILE_KEYS)[number];
export const REQUIRED_KEYS: readonly ShapefileKey[] = ["code", "name", "parentCode"];

export const USUAL_ATTRIBUTES: Record<ShapefileKey, string[]> = {
  code: ["code", "编码", "代码", "dm", "bm", "wgbm", "gridcode", "grid_code"],
  name: ["name", "名称", "mc", "wgmc", "gridname", "grid_name"],
  // .dbf names stop at 10 characters: parent_code arrives as parent_cod
  parentCode: ["parent_code", "parent_cod", "parentcode", "parent", "上级编码", "上级代码", "sjdm", "sjbm", "pcode"],
  level: ["level", "层级", "jb"],
  type: ["type", "类型", "lx"],
  households: ["households", "户数", "hs"],
  population: ["population", "人口", "rk", "rks"],
};

/** The attribute of the file that usually holds `key`, if any. */
export const usualAttribute = (fields: string[], key: ShapefileKey): string | undefined => fields.find((f) => USUAL_ATTRIBUTES[key].includes(f.toLowerCase()));
