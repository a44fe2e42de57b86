import { InvalidError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { getSettings } from "../settings/settings.ts";
import { getUnits, subtree } from "../unit/repo.ts";
import { readUnit } from "../unit/read.ts";
import type { Unit } from "../unit/schema.ts";
import { gridDepth, residentUrl } from "./grids.ts";
import { encodeQr } from "./qr.ts";
import { escapeXml, qrPng, qrSvg } from "./qr-image.ts";

export const MAX_SHEET_GRIDS = 300;

/** The QR code of one unit (within the caller's units:read scope): its target URL and images. */
export async function unitQr(p: Principal, unitId: string, consoleOrigin: string) {
  const [unit, settings] = await Promise.all([readUnit(p, unitId), getSettings()]);
  const url = residentUrl(consoleOrigin, unit.code, settings.residentQrTarget);
  const qr = encodeQr(url);
  return {
    unit,
    url,
    svg: () => qrSvg(qr, { title: `${unit.name} ${unit.code}` }),
    png: (scale?: number) => qrPng(qr, scale),
  };
}

/** The grids a sheet covers: the grid-level units of the subtree (the unit itself when it is a grid or below). */
async function sheetGrids(p: Principal, unit: Unit): Promise<Unit[]> {
  const depth = gridDepth(await getSettings());
  if (unit.depth >= depth) return [unit];
  const scopes = scopesFor(p, "units:read");
  return (await subtree(unit.path, { activeOnly: true })).filter((u) => u.depth === depth && inScopes(u.path, scopes));
}

/**
 * A printable A4 sheet of grid QR codes (网格化便民服务码) for a community or any unit above the
 * grids: one card per grid with its name, code, parent names and the URL. Self-contained HTML.
 */
export async function qrSheet(p: Principal, unitId: string, consoleOrigin: string): Promise<string> {
  const unit = await readUnit(p, unitId);
  const grids = await sheetGrids(p, unit);
  if (grids.length > MAX_SHEET_GRIDS) {
    throw new InvalidError(`${grids.length} grids are too many for one sheet (at most ${MAX_SHEET_GRIDS}); print one community at a time`, { grids: grids.length });
  }
  const ancestorIds = [...new Set(grids.flatMap((g) => g.path.split("/").filter(Boolean)))];
  const names = await getUnits(ancestorIds);
  const settings = await getSettings();
  const cards = grids
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((g) => {
      const url = residentUrl(consoleOrigin, g.code, settings.residentQrTarget);
      const trail = g.path.split("/").filter(Boolean).slice(1, -1).map((id) => names.get(id)?.name ?? "").filter(Boolean).join(" · ");
      return `<figure class="card">
  <div class="qr">${qrSvg(encodeQr(url), { moduleSize: 4, title: `${g.name} ${g.code}` })}</div>
  <figcaption><strong>${escapeXml(g.name)}</strong><span class="trail">${escapeXml(trail)}</span><span class="code">网格编码 ${escapeXml(g.code)}</span><span class="hint">扫码登记 · 随手上报 · 查看办理进度</span><span class="url">${escapeXml(url)}</span></figcaption>
</figure>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeXml(unit.name)} · 网格化便民服务码</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 0; color: #111; }
  header { padding: 8px 0 12px; border-bottom: 2px solid #c00; margin-bottom: 12px; }
  header h1 { font-size: 20px; margin: 0; }
  header p { margin: 4px 0 0; color: #555; font-size: 12px; }
  .sheet { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
  .card { margin: 0; border: 1px solid #999; border-radius: 6px; padding: 8px; text-align: center; break-inside: avoid; page-break-inside: avoid; }
  .qr svg { width: 100%; height: auto; max-width: 52mm; }
  figcaption { display: flex; flex-direction: column; gap: 2px; font-size: 11px; }
  figcaption strong { font-size: 15px; }
  .trail, .url { color: #555; }
  .url { font-size: 8px; word-break: break-all; }
  .code { font-family: monospace; }
  @media screen { body { max-width: 210mm; margin: 16px auto; } }
</style></head>
<body>
<header><h1>${escapeXml(settings.countyName)} · ${escapeXml(unit.name)} 网格化便民服务码</h1><p>共 ${grids.length} 个网格。居民扫码后用手机号登记到所在网格，即可上报问题、查看办理进度并评价。</p></header>
<main class="sheet">
${cards || "<p>此单位下没有网格。</p>"}
</main>
</body></html>`;
}
