import { openField } from "../registry/protect.ts";
import type { HouseholdRecord, PersonRecord, PlaceRecord } from "../registry/schema.ts";
import { showIdNumber, showPhone, type MaskStyle } from "../crypto/mask.ts";

const maybePhone = (stored: string | undefined, m: MaskStyle) => (stored ? showPhone(stored, m) : null);

/**
 * What can be exported. Each dataset reads one gsi1 list under a unit path; each field has a
 * label for the header and a value. Personal fields (`personal`) come out masked unless the
 * approver allowed them unmasked for this export; then they are opened one by one in memory.
 */
type Rec = Record<string, any>;
export interface FieldDef {
  label: string;
  /** masked under the county's mask style (`privacy.masks`), the same as the API shows */
  personal?: { sealed: string; masked: (r: Rec, m: MaskStyle) => string | null };
  value?: (r: Rec) => unknown;
}
export interface DatasetDef {
  entity: string;
  list: (unitPath: string) => { gsi1pk: string; prefix: string };
  fields: Record<string, FieldDef>;
}

const UNIT = { unitCode: { label: "单元编码" }, unitName: { label: "单元名称" } };
const keyList = (list: string): DatasetDef => ({
  entity: "keylist",
  list: (p) => ({ gsi1pk: `KEYLIST#${list}`, prefix: p }),
  fields: {
    id: { label: "编号" },
    ...UNIT,
    title: { label: "名称" },
    subjectId: { label: "对象编号" },
    reason: { label: "列管原因" },
    tags: { label: "标签" },
    startDate: { label: "开始日期" },
    endDate: { label: "结束日期" },
    responsibleUserId: { label: "责任人" },
    status: { label: "状态" },
  },
});

export const DATASETS: Record<string, DatasetDef> = {
  households: {
    entity: "household",
    list: (p) => ({ gsi1pk: "HOUSEHOLDS", prefix: p }),
    fields: {
      id: { label: "编号" },
      ...UNIT,
      address: { label: "地址" },
      membersCount: { label: "人数" },
      contactName: { label: "联系人" },
      contactPhone: { label: "联系电话", personal: { sealed: "contactPhoneSealed", masked: (r, m) => maybePhone((r as HouseholdRecord).contactPhoneMasked, m) } },
      class: { label: "户类别" },
      needs: { label: "需求" },
      notes: { label: "备注" },
      updatedAt: { label: "更新时间" },
    },
  },
  people: {
    entity: "person",
    list: (p) => ({ gsi1pk: "PEOPLE", prefix: p }),
    fields: {
      id: { label: "编号" },
      ...UNIT,
      householdId: { label: "户编号" },
      name: { label: "姓名" },
      idNumber: { label: "身份证号", personal: { sealed: "idNumberSealed", masked: (r, m) => showIdNumber((r as PersonRecord).idNumberMasked, m) } },
      phone: { label: "电话", personal: { sealed: "phoneSealed", masked: (r, m) => maybePhone((r as PersonRecord).phoneMasked, m) } },
      birthDate: { label: "出生日期", personal: { sealed: "birthDateSealed", masked: (r) => `${(r as PersonRecord).birthYear}-**-**` } },
      gender: { label: "性别" },
      tags: { label: "标签" },
      notes: { label: "备注" },
    },
  },
  places: {
    entity: "place",
    list: (p) => ({ gsi1pk: "PLACES", prefix: p }),
    fields: {
      id: { label: "编号" },
      ...UNIT,
      name: { label: "名称" },
      kind: { label: "类型" },
      address: { label: "地址" },
      ownerName: { label: "负责人" },
      ownerPhone: { label: "负责人电话", personal: { sealed: "ownerPhoneSealed", masked: (r, m) => showPhone((r as PlaceRecord).ownerPhoneMasked, m) } },
      licenseNo: { label: "证照号" },
      notes: { label: "备注" },
    },
  },
  key_people: keyList("people"),
  key_places: keyList("places"),
  key_matters: keyList("matters"),
};

export const datasetNames = Object.keys(DATASETS) as [string, ...string[]];
export const personalFields = (dataset: string) => Object.entries(DATASETS[dataset].fields).flatMap(([k, f]) => (f.personal ? [k] : []));

/** One CSV row of a record; `unmasked` fields are opened, other personal fields masked. */
export async function rowOf(def: DatasetDef, fields: string[], unmasked: Set<string>, r: Rec, unit: { code: string; name: string } | undefined, masks: MaskStyle): Promise<unknown[]> {
  const row: unknown[] = [];
  for (const f of fields) {
    const d = def.fields[f];
    if (f === "unitCode") row.push(unit?.code ?? "");
    else if (f === "unitName") row.push(unit?.name ?? "");
    else if (d.personal) {
      const sealed = r[d.personal.sealed] as string | undefined;
      row.push(unmasked.has(f) && sealed ? await openField(def.entity, r.id, f, sealed) : d.personal.masked(r, masks));
    } else row.push(d.value ? d.value(r) : r[f]);
  }
  return row;
}

