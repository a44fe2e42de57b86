/** The departments list's sheet (职能部门). */
import { ACTIVE, type ListSpec } from "./specs.ts";

export const DEPARTMENTS: ListSpec = {
  list: "departments",
  sheet: "职能部门",
  keyColumn: "code",
  columns: [
    { key: "code", zh: "部门编码", en: "Code", required: true, text: true, width: 12, help: "字母、数字、_ 或 -，最多 32 位，县内唯一；再次导入按编码更新" },
    { key: "name", zh: "部门名称", en: "Name", required: true, width: 20 },
    { key: "contactName", zh: "联系人", en: "Contact", required: true, width: 12, aliases: ["contact.name"] },
    { key: "contactPhone", zh: "联系电话", en: "Contact phone", text: true, width: 16, aliases: ["contact.phone"], help: "手机或座机（如 0592-1234567）" },
    { key: "unitCodes", zh: "服务单位编码", en: "Units served", text: true, width: 30, help: "多个编码用顿号、逗号或空格分隔；可空" },
    { key: "active", zh: "状态", en: "Status", width: 8, list: ACTIVE, help: "启用或停用；空为启用（已有部门保持不变）" },
  ],
  example: { code: "CGJ", name: "城市管理局（示例）", contactName: "李明", contactPhone: "0592-1234567", unitCodes: "", active: "启用" },
  notes: ["再次上传同一文件不会重复创建：按部门编码更新。", "先导入职能部门，再导入事件分类和人员。"],
};

