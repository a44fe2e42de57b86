/**
 * Problems of an Excel import, by code (the `code` of a job error, with its `params`), in Chinese
 * and English: the one table of them. The corrected file's `错误` column and the job's English
 * `reason` come from it, and so do the console's messages (admin/src/excel/messages.*.ts import
 * {@link problemTable} and {@link HINTS}), so the two never drift apart.
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
  | "refused"
  | "unit_out_of_scope"
  | "unknown_household"
  | "household_elsewhere"
  | "unknown_record"
  | "masked_new"
  | "masked_mismatch"
  | "unknown_parent_unit"
  | "parent_row_failed"
  | "parent_mismatch";

type Lang = "zh" | "en";

/** The problems in Chinese (the corrected file's `错误` column, the console). */
const PROBLEM_ZH: Record<XlsxProblem, string> = {
  xlsx_unreadable: "文件不是 Excel 工作簿（.xlsx）",
  xlsx_no_sheet: "工作簿里没有工作表",
  xlsx_missing_columns: "缺少必填列：%{missing}",
  xlsx_empty: "表中没有数据行",
  xlsx_too_large: "文件行数超过 %{max} 行",
  required: "%{field}不能为空",
  invalid: "%{field}“%{value}”无效：%{hint}",
  unknown_role: "没有“%{value}”这个角色",
  unknown_unit: "没有编码为 %{value} 的在用单位",
  unknown_department: "没有编码为 %{value} 的在用部门",
  unknown_parent: "上级分类 %{value} 不存在（文件里和系统里都没有）",
  parent_not_top: "上级分类 %{value} 本身是子分类：分类只有两级",
  duplicate_in_file: "%{value} 在第 %{other} 行已出现",
  rows_disagree: "与同一账号第 %{other} 行的%{field}不一致",
  other_row: "同一账号第 %{other} 行有错误，此账号未导入",
  password_required: "新账号需要初始密码（至少 10 位）",
  refused: "未能保存：%{message}",
  unit_out_of_scope: "单位 %{value} 不在您负责的范围内",
  unknown_household: "找不到所属的户 %{value}（本文件“住户”表和您负责的范围内都没有）",
  household_elsewhere: "所属的户不在单位 %{value}",
  unknown_record: "系统编号 %{value} 不存在或不在您负责的范围内",
  masked_new: "%{field}是掩码（%{value}），新登记须填写完整号码",
  masked_mismatch: "%{field}掩码 %{value} 与系统中的不一致：原样保留导出的掩码，或填写完整号码",
  unknown_parent_unit: "上级单位 %{value} 不存在（文件里和系统里都没有）",
  parent_row_failed: "上级单位 %{value} 所在的行有错误，此单位未导入",
  parent_mismatch: "上级编码 %{value} 与系统中的上级 %{other} 不同：移动单位请在单位页面操作",
};

/**
 * The problems in English (a job's `reason`, the console). Its own table, apart from the Chinese one,
 * so that the jobs consumer, which writes English reasons only, carries only it (issue #15: the
 * bundler drops a table nothing reads).
 */
const PROBLEM_EN: Record<XlsxProblem, string> = {
  xlsx_unreadable: "The file is not an Excel workbook (.xlsx)",
  xlsx_no_sheet: "The workbook has no sheet",
  xlsx_missing_columns: "Required columns are missing: %{missing}",
  xlsx_empty: "The sheet has no data rows",
  xlsx_too_large: "The file has more than %{max} rows",
  required: "%{field} is required",
  invalid: "%{field} “%{value}” is not valid: %{hint}",
  unknown_role: "There is no role “%{value}”",
  unknown_unit: "No active unit has the code %{value}",
  unknown_department: "No active department has the code %{value}",
  unknown_parent: "Parent category %{value} exists neither in the file nor in the county",
  parent_not_top: "Parent category %{value} is itself a subcategory: categories have two levels",
  duplicate_in_file: "%{value} already appears on row %{other}",
  rows_disagree: "%{field} differs from row %{other} of the same account",
  other_row: "Row %{other} of the same account has an error; the account was not imported",
  password_required: "A new account needs an initial password (at least 10 characters)",
  refused: "Not saved: %{message}",
  unit_out_of_scope: "Unit %{value} is outside your part of the hierarchy",
  unknown_household: "No household %{value} in this file's households sheet or in your part of the registry",
  household_elsewhere: "The household is not in unit %{value}",
  unknown_record: "Record %{value} does not exist or is outside your part of the registry",
  masked_new: "%{field} is masked (%{value}); a new record needs the full number",
  masked_mismatch: "Masked %{field} %{value} does not match the record: keep the exported mask or give the full number",
  unknown_parent_unit: "Parent unit %{value} exists neither in the file nor in the county",
  parent_row_failed: "The row of parent unit %{value} has an error; this unit was not imported",
  parent_mismatch: "Parent %{value} differs from the current parent %{other}: move units in the console",
};

/** The problems' texts in one language, by code (the console's `app.excel.problems`). */
export const problemTable = (lang: Lang): Record<XlsxProblem, string> => ({ ...(lang === "zh" ? PROBLEM_ZH : PROBLEM_EN) });

/** What a valid value of a column looks like, in Chinese (the English hint of a job comes from the check itself). */
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
  idNumber: "18 位居民身份证号码，校验位正确",
  unitCode: "6–24 位数字",
  class: "重点户、关注户或一般户",
  gender: "男或女",
  relationship: "户主、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、儿媳/女婿、其他",
  tags: "标签名称，用顿号分隔",
  idType: "居民身份证",
  count: "整数",
  id: "导出的系统编号（26 位字母和数字），新记录留空",
  type: "从下拉列表选择",
};
/** The same in English (the console's hints). */
export const HINT_EN: Record<string, string> = {
  username: "letters, digits, _ . -, 2–64 characters",
  phone: "a mobile or landline number",
  contactPhone: "a mobile or landline number such as 0592-1234567",
  code: "letters, digits, _ - (categories also .), at most 32",
  parentCode: "letters, digits, . _ -, at most 32",
  password: "at least 10 characters",
  active: "启用 or 停用",
  yesno: "是 or 否",
  duration: "e.g. 2工作小时, 24小时, 5工作日, 3天",
  text: "at most 64 characters",
  idNumber: "an 18-character resident ID number with a valid check digit",
  unitCode: "6 to 24 digits",
  class: "重点户, 关注户 or 一般户",
  gender: "男 or 女",
  relationship: "one of the list (户主, 配偶, 子女 …)",
  tags: "tag names separated by 、",
  idType: "居民身份证",
  count: "a whole number",
  id: "the exported record id (26 letters and digits); empty for a new record",
  type: "one of the list",
};
export const HINTS = { zh: HINT_ZH, en: HINT_EN };
const HINT_OF: Record<string, string> = {
  isDispute: "yesno",
  police: "yesno",
  urgent: "yesno",
  claimWindow: "yesno",
  accept: "duration",
  claim: "duration",
  dispatch: "duration",
  handle: "duration",
  verify: "duration",
  evaluate: "duration",
  displayName: "text",
  name: "text",
  contactName: "text",
  householdId: "id",
  membersCount: "count",
  households: "count",
  population: "count",
};
/** Columns whose hint differs by list (a unit code is digits, a department code is not). */
const LIST_HINT_OF: Record<string, Record<string, string>> = { units: { code: "unitCode", parentCode: "unitCode" } };
/** The hint of a column (of a list): yes/no and deadline columns share theirs. */
export const hintKey = (field: string, list?: string): string => (list ? LIST_HINT_OF[list]?.[field] : undefined) ?? HINT_OF[field] ?? field;

/** The problem's text; `params.field` is the column's name in that language, `params.key` its key. */
export function problemText(code: string, params: Record<string, string | number> = {}, lang: Lang = "zh", list?: string): string {
  if (lang === "en") return problemTextEn(code, params);
  if (code === "invalid" && typeof params.key === "string" && HINT_ZH[hintKey(params.key, list)]) params = { ...params, hint: HINT_ZH[hintKey(params.key, list)] };
  return fill(PROBLEM_ZH[code as XlsxProblem] ?? code, params);
}

/** The problem's English text (the hint of an invalid value comes from the check itself, in `params.hint`). */
export function problemTextEn(code: string, params: Record<string, string | number> = {}): string {
  return fill(PROBLEM_EN[code as XlsxProblem] ?? code, params);
}

const fill = (t: string, params: Record<string, string | number>) => t.replace(/%\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
