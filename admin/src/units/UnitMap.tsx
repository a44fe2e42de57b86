/** A unit's boundary with its sub-units' boundaries (dashed, named on hover), on the unit page. */
import { lazy, Suspense } from "react";
import { Skeleton, Typography } from "@mui/material";
import { useGetList, useRecordContext, useTranslate } from "react-admin";
import { isBoundary } from "../map/geo.ts";
import type { MapShape } from "../map/MapView.tsx";

const MapView = lazy(() => import("../map/MapView.tsx"));

/** How many sub-units the map draws (one page of the API). */
export const MAX_CHILDREN_ON_MAP = 200;

export const UnitMap = (_props: { label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const { data: children, total } = useGetList(
    "units",
    { filter: { parentId: record?.id }, pagination: { page: 1, perPage: MAX_CHILDREN_ON_MAP } },
    { enabled: !!record?.id },
  );
  if (!record) return null;
  const own: MapShape[] = isBoundary(record.boundary) ? [{ id: String(record.id), boundary: record.boundary, label: record.name }] : [];
  const kids: MapShape[] = (children ?? [])
    .filter((c) => isBoundary(c.boundary))
    .map((c) => ({ id: String(c.id), boundary: c.boundary, label: c.name, secondary: true, color: c.active === false ? "#9e9e9e" : undefined }));
  if (!own.length && !kids.length) return <Typography variant="body2">{translate("app.units.no_boundary")}</Typography>;
  return (
    <>
      <Suspense fallback={<Skeleton variant="rounded" height={360} />}>
        <MapView shapes={[...kids, ...own]} height={360} data-testid="unit-map" />
      </Suspense>
      <Typography variant="caption" color="text.secondary">
        {translate("app.units.map_legend", { children: kids.length })}
        {(total ?? 0) > MAX_CHILDREN_ON_MAP || children?.length === MAX_CHILDREN_ON_MAP ? ` ${translate("app.units.map_capped", { max: MAX_CHILDREN_ON_MAP })}` : ""}
      </Typography>
    </>
  );
};
