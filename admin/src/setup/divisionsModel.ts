/**
 * First-run guide, step 1: the county's official townships and villages (files built from the
 * national divisions, admin/divisions/build.ts) → rows of the unit import (CSV, mode partial).
 */
export interface CountyFile {
  code: string;
  name: string;
  city: string;
  province: string;
  source: string;
  streets: { code: string; name: string; villages: [code: string, name: string][] }[];
}

/** One official unit as the admin sees it: ticked or not, maybe renamed, maybe already there. */
export interface DivisionChoice {
  code: string;
  parentCode: string;
  level: "street" | "community";
  official: string;
  name: string;
  picked: boolean;
  /** the unit of this code already exists (its current name) */
  existing?: string;
}

/**
 * The usual working name of an official unit: the statistical names carry the committee
 * (`…社区居委会`, `…村委会`, `…村民委员会`); counties call them `…社区` and `…村`.
 */
export function workingName(official: string): string {
  const short = official
    .replace(/社区居民委员会$|社区居委会$/, "社区")
    .replace(/居民委员会$|居委会$/, "社区")
    .replace(/村民委员会$|村委会$/, "村");
  return short.length > 0 ? short : official;
}

/** Unit type from the official name (rural villages vs urban communities). */
export function villageType(official: string): "rural" | "community" {
  return /村民委员会$|村委会$/.test(official) ? "rural" : "community";
}

/** All choices of a county file, every unit picked, names shortened when `short`. */
export function choicesOf(file: CountyFile, existing: Map<string, string>, short = true): DivisionChoice[] {
  const out: DivisionChoice[] = [];
  for (const s of file.streets) {
    out.push({ code: s.code, parentCode: file.code, level: "street", official: s.name, name: s.name, picked: true, existing: existing.get(s.code) });
    for (const [code, official] of s.villages) {
      out.push({ code, parentCode: s.code, level: "community", official, name: short ? workingName(official) : official, picked: true, existing: existing.get(code) });
    }
  }
  return out;
}

/** Unticking a township unticks its villages; ticking a village ticks its township. */
export function toggle(choices: DivisionChoice[], code: string, picked: boolean): DivisionChoice[] {
  const target = choices.find((c) => c.code === code);
  if (!target) return choices;
  return choices.map((c) => {
    if (c.code === code) return { ...c, picked };
    if (!picked && target.level === "street" && c.parentCode === code) return { ...c, picked: false };
    if (picked && target.level === "community" && c.code === target.parentCode) return { ...c, picked: true };
    return c;
  });
}

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The unit import file (CSV) for the picked units; units that exist with the same name are left out. */
export function importCsv(choices: DivisionChoice[]): { csv: string; rows: number } {
  const rows = choices.filter((c) => c.picked && c.name.trim() && c.existing !== c.name.trim());
  const lines = ["code,name,parent_code,level,type"];
  for (const c of rows) lines.push([c.code, c.name.trim(), c.parentCode, c.level, c.level === "street" ? "street" : villageType(c.official)].map(cell).join(","));
  return { csv: `${lines.join("\n")}\n`, rows: rows.length };
}
