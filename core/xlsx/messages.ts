/**
 * Problems of an Excel import, by code (the `code` of a job error, with its `params`): the console
 * translates them itself (admin/src/excel/messages.*.ts); the corrected file's `错误` column and the
 * job's English `reason` come from this table.
 */
export type XlsxProblem =
  | "xlsx_unreadable"
  | "xlsx_no_sheet"
  | "xlsx_missing_columns"
  | "xlsx_empty"
  | "xlsx_too_large"
  | "required"
  | "invalid"
  | "unknown_role"
  | "unknown_unit"
  | "unknown_department"
  | "unknown_parent"
  | "parent_not_top"
  | "duplicate_in_file"
  | "rows_disagree"
  | "other_row"
  | "password_required"
  | "refused";

type Lang = "zh" | "en";

const TEXT: Record<XlsxProblem, Record<Lang, string>> = {
  xlsx_unreadable: { zh: "文件不是 Excel 工作簿（.xlsx）", en: "The file is not an Excel workbook (.xlsx)" },
  xlsx_no_sheet: { zh: "工作簿里没有工作表", en: "The workbook has no sheet" },
  xlsx_missing_columns: { zh: "缺少必填列：%{missing}", en: "Required columns are missing: %{missing}" },
  xlsx_empty: { zh: "表中没有数据行", en: "The sheet has no data rows" },
  xlsx_too_large: { zh: "文件行数超过 %{max} 行", en: "The file has more than %{max} rows" },
  required: { zh: "%{field}不能为空", en: "%{field} is required" },
  invalid: { zh: "%{field}“%{value}”无效：%{hint}", en: "%{field} “%{value}” is not valid: %{hint}" },
  unknown_role: { zh: "没有“%{value}”这个角色", en: "There is no role “%{value}”" },
  unknown_unit: { zh: "没有编码为 %{value} 的在用单位", en: "No active unit has the code %{value}" },
  unknown_department: { zh: "没有编码为 %{value} 的在用部门", en: "No active department has the code %{value}" },
  unknown_parent: { zh: "上级分类 %{value} 不存在（文件里和系统里都没有）", en: "Parent category %{value} exists neither in the file nor in the county" },
  parent_not_top: { zh: "上级分类 %{value} 本身是子分类：分类只有两级", en: "Parent category %{value} is itself a subcategory: categories have two levels" },
  duplicate_in_file: { zh: "%{value} 在第 %{other} 行已出现", en: "%{value} already appears on row %{other}" },
  rows_disagree: { zh: "与同一账号第 %{other} 行的%{field}不一致", en: "%{field} differs from row %{other} of the same account" },
  other_row: { zh: "同一账号第 %{other} 行有错误，此账号未导入", en: "Row %{other} of the same account has an error; the account was not imported" },
  password_required: { zh: "新账号需要初始密码（至少 10 位）", en: "A new account needs an initial password (at least 10 characters)" },
  refused: { zh: "未能保存：%{message}", en: "Not saved: %{message}" },
};

/** What a valid value of a column looks like, in Chinese (the English hint comes from the check itself). */
export const HINT_ZH: Record<string, string> = {
  username: "字母、数字、_ . -，2–64 位",
  phone: "11 位手机号",
  contactPhone: "手机或座机号码，如 0592-1234567",
  code: "字母、数字、_ -（分类还可用 .），最多 32 位",
  parentCode: "字母、数字、. _ -，最多 32 位",
  password: "至少 10 位",
  active: "启用或停用",
  yesno: "是或否",
  duration: "如 2工作小时、24小时、5工作日、3天",
  text: "最多 64 个字",
};
const HINT_OF: Record<string, string> = { isDispute: "yesno", police: "yesno", urgent: "yesno", claimWindow: "yesno", accept: "duration", claim: "duration", dispatch: "duration", handle: "duration", verify: "duration", evaluate: "duration", displayName: "text", name: "text" };
export const hintKey = (field: string): string => HINT_OF[field] ?? field;

/** The problem's text; `params.field` is the column's name in that language, `params.key` its key. */
export function problemText(code: string, params: Record<string, string | number> = {}, lang: Lang = "zh"): string {
  const t = TEXT[code as XlsxProblem]?.[lang] ?? code;
  if (code === "invalid" && lang === "zh" && typeof params.key === "string" && HINT_ZH[hintKey(params.key)]) params = { ...params, hint: HINT_ZH[hintKey(params.key)] };
  return t.replace(/%\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
}
