import type { Principal } from "../core/auth/principal.ts";
import { createDepartment } from "../core/department/service.ts";
import { getDepartment } from "../core/department/repo.ts";
import { createCategory } from "../core/category/service.ts";
import { getCategory } from "../core/category/repo.ts";

const SYSTEM: Principal = { kind: "system", id: "seed" };

/** Demo departments (职能部门), with fixed ids so demo users can point at them. */
export const DEMO_DEPARTMENTS = [
  { id: "dept-urban", code: "CGJ", name: "城市管理局", contact: { name: "城管值班室", phone: "0592-5000001" } },
  { id: "dept-housing", code: "ZJJ", name: "住房和建设局", contact: { name: "住建值班室", phone: "0592-5000002" } },
  { id: "dept-water", code: "SWJ", name: "水务局", contact: { name: "水务值班室", phone: "0592-5000003" } },
  { id: "dept-police", code: "GAJ", name: "公安分局", contact: { name: "指挥室", phone: "0592-5000110" } },
  { id: "dept-justice", code: "SFJ", name: "司法局", contact: { name: "人民调解中心", phone: "0592-5000004" } },
  { id: "dept-env", code: "HBJ", name: "生态环境局", contact: { name: "环境执法大队", phone: "0592-5000005" } },
];

type Cat = { id: string; code: string; name: string; parentId?: string; departmentIds?: string[]; isDispute?: boolean; police?: boolean; urgent?: boolean; claimWindow?: boolean; deadlines?: Record<string, { amount: number; unit: string }> };

/** Two-level case categories with the responsibility matrix and stage deadlines. */
export const DEMO_CATEGORIES: Cat[] = [
  { id: "cat-env", code: "01", name: "环境卫生", departmentIds: ["dept-urban", "dept-env"] },
  { id: "cat-env-garbage", code: "0101", name: "垃圾堆放", parentId: "cat-env", departmentIds: ["dept-urban"] },
  { id: "cat-env-sewage", code: "0102", name: "污水外溢", parentId: "cat-env", departmentIds: ["dept-water", "dept-env"], deadlines: { handle: { amount: 2, unit: "working_days" } } },
  { id: "cat-facility", code: "02", name: "设施损坏", departmentIds: ["dept-housing"] },
  { id: "cat-facility-road", code: "0201", name: "道路破损", parentId: "cat-facility", departmentIds: ["dept-housing", "dept-urban"] },
  { id: "cat-facility-light", code: "0202", name: "路灯故障", parentId: "cat-facility", departmentIds: ["dept-urban"] },
  { id: "cat-safety", code: "03", name: "安全隐患", urgent: false, departmentIds: ["dept-housing"], deadlines: { handle: { amount: 24, unit: "working_hours" } } },
  { id: "cat-safety-fire", code: "0301", name: "消防隐患", parentId: "cat-safety", urgent: true, departmentIds: ["dept-police", "dept-housing"] },
  { id: "cat-dispute", code: "04", name: "矛盾纠纷", isDispute: true, claimWindow: false, departmentIds: ["dept-justice"] },
  { id: "cat-dispute-neighbour", code: "0401", name: "邻里纠纷", parentId: "cat-dispute" },
  { id: "cat-order", code: "05", name: "治安秩序", police: true, departmentIds: ["dept-police"] },
  { id: "cat-order-noise", code: "0501", name: "噪音扰民", parentId: "cat-order", police: false, departmentIds: ["dept-env", "dept-urban"] },
  { id: "cat-service", code: "06", name: "民生服务", departmentIds: ["dept-housing"] },
];

export async function seedDemoConfig(now: Date): Promise<void> {
  for (const d of DEMO_DEPARTMENTS) {
    if (await getDepartment(d.id, true)) continue;
    const { id, ...input } = d;
    await createDepartment(SYSTEM, input, now, id);
  }
  for (const c of DEMO_CATEGORIES) {
    if (await getCategory(c.id, true)) continue;
    const { id, parentId, ...input } = c;
    await createCategory(SYSTEM, { ...input, parentId: parentId ?? null }, now, id);
  }
}
