/** The staff list's sheet (人员). */
import type { RoleName } from "../auth/roles.ts";
import { ACTIVE, type ListSpec } from "./specs.ts";

export const ROLE_ZH: Record<RoleName, string> = {
  county_admin: "县级管理员",
  dispatcher: "指挥中心调度员",
  supervisor: "效能督办员",
  street_staff: "街道/乡镇工作人员",
  community_staff: "社区/村工作人员",
  grid_leader: "网格长",
  grid_worker: "网格员",
  grid_instructor: "网格指导员",
  department_staff: "职能部门人员",
  auditor: "审计员",
};

export const STAFF: ListSpec = {
  list: "staff",
  sheet: "人员",
  keyColumn: "username",
  columns: [
    { key: "username", zh: "用户名", en: "Username", required: true, text: true, width: 16, help: "登录名：字母、数字、_ . -，2–64 位；同一人有多个角色时每个角色一行，用户名相同。再次导入按用户名更新。" },
    { key: "displayName", zh: "姓名", en: "Name", required: true, width: 12 },
    { key: "phone", zh: "手机号", en: "Mobile", text: true, width: 14, help: "11 位手机号，可空" },
    { key: "role", zh: "角色", en: "Role", required: true, width: 18, list: Object.values(ROLE_ZH), help: "从下拉列表选择（也接受英文角色键，如 grid_worker）" },
    { key: "unitCode", zh: "单位编码", en: "Unit code", required: true, text: true, width: 18, help: "角色所在单位的编码（县、乡镇街道、村社区、网格、微网格）" },
    { key: "departmentCode", zh: "部门编码", en: "Department code", text: true, width: 12, help: "职能部门人员必填：所属部门的编码" },
    { key: "active", zh: "状态", en: "Status", width: 8, list: ACTIVE, help: "启用或停用；空为启用（已有账号保持不变）" },
    { key: "password", zh: "初始密码", en: "Initial password", text: true, width: 16, help: "建议留空：新账号将得到一次性激活码（导入后下载激活码表），本人首次登录时自设密码。填写则至少 10 位；已有账号不会被改密码；导出时为空" },
  ],
  example: { username: "example.zhangwei", displayName: "张伟（示例）", phone: "13800000000", role: "网格员", unitCode: "350206001001001", departmentCode: "", active: "启用", password: "" },
  notes: [
    "每行一个角色：同一用户名的多行合为一个账号（姓名、手机号、状态以第一行为准，其它行可空）。",
    "再次上传同一文件不会重复创建：按用户名更新姓名、手机号、状态和角色，不改已有账号的密码。",
    "先导入职能部门，再导入人员（职能部门人员需要部门编码）。",
  ],
};

