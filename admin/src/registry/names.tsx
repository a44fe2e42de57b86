/**
 * Names instead of ids on the registry, duty, export and webhook screens: the shared labels of
 * common/NameLabels.tsx (one batched `POST /v1/names`), as fields reading a record's source.
 */
import { useRecordContext } from "react-admin";
import { DepartmentName, UnitName, UserName as SharedUserName } from "../common/NameLabels.tsx";
import { pathIds } from "./model.ts";

export { DepartmentName, UnitName };

/** A person by id; `fallback` (a name the record carries) is kept for the API's answer shape but the label comes from the names endpoint. */
export const UserName = ({ id }: { id?: string | null; fallback?: string }) => <SharedUserName id={id} />;

/** A unit by the record's `source` (a unit id, or a materialized path's last id); `full`: the whole path. */
export const UnitField = ({ source = "unitId", full }: { source?: string; label?: string; full?: boolean }) => {
  const record = useRecordContext();
  const v = record?.[source];
  const id = source.toLowerCase().endsWith("path") ? pathIds(v).at(-1) : (v as string | undefined);
  return <UnitName id={id} depth={full ? 10 : undefined} />;
};

/** A person by the record's `source` (dotted paths such as `requestedBy.id` allowed). */
export const UserField = ({ source }: { source: string; label?: string }) => {
  const record = useRecordContext();
  const v = source.split(".").reduce<any>((o, k) => o?.[k], record);
  return <SharedUserName id={v} />;
};

export const DepartmentField = ({ source }: { source: string; label?: string }) => {
  const record = useRecordContext();
  return <DepartmentName id={record?.[source]} />;
};
