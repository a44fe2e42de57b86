/**
 * Name labels for ids (see ./names.ts for the batching cache and the usage examples): a unit as its
 * path, a person, a department, the actor of a timeline event, the owner of a case.
 */
import { Tooltip } from "@mui/material";
import { useTranslate } from "react-admin";
import { getMe } from "../session.ts";
import { shortId, unitFullPath, unitPathLabel, useDepartmentName, useUnitName, useUserName } from "./names.ts";

const Pending = ({ id }: { id: string }) => (
  <span data-testid="name-pending" data-id={id} style={{ opacity: 0.6 }}>
    …
  </span>
);

/** A unit as its path ("金山社区 › 第1网格 › 第4微网格"), or only its name with `short`; the full path on hover. */
export const UnitName = ({ id, short, depth }: { id?: string | null; short?: boolean; depth?: number }) => {
  const unit = useUnitName(id);
  if (!id) return <>—</>;
  if (unit === undefined) return <Pending id={id} />;
  if (unit === null) return <span data-testid="unit-name" data-id={id}>{shortId(id)}</span>;
  return (
    <Tooltip title={unitFullPath(unit)}>
      <span data-testid="unit-name" data-id={id}>
        {short ? unit.name : unitPathLabel(unit, depth)}
      </span>
    </Tooltip>
  );
};

export const UserName = ({ id }: { id?: string | null }) => {
  const translate = useTranslate();
  const user = useUserName(id);
  if (!id) return <>—</>;
  if (user === undefined) return <Pending id={id} />;
  const mine = getMe()?.id === id;
  const name = user?.displayName ?? translate("app.cases.user_id", { id: id.slice(-6) });
  return (
    <span data-testid="user-name" data-id={id}>
      {mine ? translate("app.names.me_named", { name }) : name}
    </span>
  );
};

export const DepartmentName = ({ id }: { id?: string | null }) => {
  const dept = useDepartmentName(id);
  if (!id) return <>—</>;
  if (dept === undefined) return <Pending id={id} />;
  return (
    <span data-testid="department-name" data-id={id}>
      {dept?.name ?? shortId(id)}
    </span>
  );
};

/** Who did something: a person by name; a resident, partner application or the system by kind (residents stay anonymous). */
export const ActorName = ({ actor }: { actor?: { kind: string; id: string } | null }) => {
  const translate = useTranslate();
  if (!actor) return <>—</>;
  if (actor.kind === "user") return <UserName id={actor.id} />;
  return <>{translate(`app.cases.actor_kinds.${actor.kind}`, { _: actor.kind })}</>;
};

/** Who must act now: a unit (its path), a department or a person. */
export const OwnerName = ({ owner, short }: { owner?: { kind: string; id: string } | null; short?: boolean }) => {
  if (!owner) return <>—</>;
  if (owner.kind === "department") return <DepartmentName id={owner.id} />;
  if (owner.kind === "user") return <UserName id={owner.id} />;
  return <UnitName id={owner.id} short={short} />;
};
