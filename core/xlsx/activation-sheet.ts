/**
 * The activation-code sheet of a staff import (docs/security.md "Activation codes"): one row per
 * account created without a password, with its one-time code and when it expires (county time), to
 * print and hand out or send one by one. Only the admin who ran the import may download it
 * (`GET /v1/jobs/{id}/activation-codes.xlsx`); the codes themselves are stored nowhere else (the
 * accounts keep only their SHA-256), and each stops working once used or expired. The download
 * route is core/xlsx/activation-codes.ts.
 */
import type { IssuedCode } from "./apply.ts";
import { writeWorkbook, type Style, type WSheet } from "./ooxml-write.ts";

const ZONE = "Asia/Shanghai";
const countyTime = (iso: string) =>
  new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(iso)).replace(/\//g, "-");

export const ACTIVATION_COLUMNS = ["用户名", "姓名", "手机号", "单位编码", "激活码", "有效期至（北京时间）"];

export async function activationSheet(codes: IssuedCode[]): Promise<Uint8Array> {
  const widths = [16, 12, 14, 24, 24, 22];
  // username, phone, unit codes and code as text; the code in a monospace bold font
  const text = new Set([0, 2, 3, 4]);
  const rows = [...codes]
    .sort((a, b) => a.username.localeCompare(b.username))
    .map((c) => [c.username, c.displayName, c.phone ?? "", c.unitCodes.join("、"), c.code, countyTime(c.expiresAt)]);
  const codeFont: Style = { font: "Consolas", bold: true };
  const sheet: WSheet = {
    name: "激活码",
    cols: widths.map((width, i) => ({ width, style: { ...(text.has(i) ? { numFmt: "@" as const } : {}), ...(i === 4 ? codeFont : {}) } })),
    rows: [ACTIVATION_COLUMNS.map((v) => ({ v, style: { bold: true } })), ...rows],
  };
  const help: WSheet = {
    name: "使用说明",
    cols: [{ width: 100 }],
    rows: [
      "每个新账号一个一次性激活码。请把激活码单独交给本人（打印后分发，或逐个发送），不要群发。",
      "本人在登录页点“使用激活码首次登录”，输入用户名、激活码并设置自己的密码（至少 10 位），之后用该密码登录。",
      "激活码只能使用一次，过期作废；管理员不知道也无法查看任何人的密码。",
      "丢失或过期：管理员在“人员”中打开该账号，点“重新生成激活码”（旧码随即作废）。",
      "本表含有效凭据：分发后请删除或妥善保管。",
    ].map((line) => [line]),
  };
  return writeWorkbook([sheet, help]);
}
