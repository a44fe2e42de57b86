/**
 * Where the case is: click the map (centered on the reporter's own unit) or type longitude and
 * latitude, or — in the field, on a phone — take the device's position ("use my location", WGS84)
 * and tap the map to move it where the problem really is (the map shows the unit and the point).
 * Sets `location.lng` / `location.lat`; the address is free text beside them.
 */
import { lazy, Suspense, useState } from "react";
import { Box, Button, Skeleton, Stack, Typography } from "@mui/material";
import MyLocationIcon from "@mui/icons-material/MyLocation";
import { useFormContext, useWatch } from "react-hook-form";
import { NumberInput, TextInput, maxValue, minValue, number, required, useGetOne, useNotify, useTranslate } from "react-admin";
import { isBoundary, pointFrom, roundCoord } from "../map/geo.ts";
import { getMe } from "../session.ts";

const MapView = lazy(() => import("../map/MapView.tsx"));

export const LocationInput = () => {
  const translate = useTranslate();
  const { setValue } = useFormContext();
  const lng = useWatch({ name: "location.lng" });
  const lat = useWatch({ name: "location.lat" });
  const unitId = useWatch({ name: "unitId" }) || getMe()?.assignments.find((a) => a.role !== "department_staff")?.unitId || getMe()?.assignments[0]?.unitId;
  const { data: unit } = useGetOne("units", { id: unitId ?? "" }, { enabled: !!unitId, retry: false });
  const point = pointFrom(lng, lat);
  const shapes = unit && isBoundary(unit.boundary) ? [{ id: String(unit.id), boundary: unit.boundary, label: unit.name, secondary: true }] : [];
  const pick = (x: number, y: number) => {
    setValue("location.lng", roundCoord(x), { shouldDirty: true, shouldValidate: true });
    setValue("location.lat", roundCoord(y), { shouldDirty: true, shouldValidate: true });
  };
  const notify = useNotify();
  const [locating, setLocating] = useState(false);
  const here = () => {
    if (!navigator.geolocation) return notify("app.cases.no_location", { type: "warning" });
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        pick(p.coords.longitude, p.coords.latitude);
      },
      () => {
        setLocating(false);
        notify("app.cases.no_location", { type: "warning" });
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  return (
    <Box sx={{ width: "100%", mb: 1 }} data-testid="location-input">
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", gap: 1, mb: 0.5, flexWrap: "wrap" }}>
        <Typography variant="body2" color="text.secondary">
          {translate("app.cases.pick_location")}
        </Typography>
        <Button size="small" variant="outlined" startIcon={<MyLocationIcon />} onClick={here} disabled={locating} data-testid="location-here" sx={{ "@media (pointer: coarse)": { minHeight: 44 } }}>
          {translate("app.cases.use_my_location")}
        </Button>
      </Stack>
      <Suspense fallback={<Skeleton variant="rounded" height={300} />}>
        <MapView
          shapes={shapes}
          points={point ? [{ id: "picked", ...point }] : []}
          focus={{ shapes, points: point ? [{ id: "picked", ...point }] : [] }}
          onPick={pick}
          height={300}
          data-testid="location-map"
        />
      </Suspense>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ mt: 1 }}>
        <NumberInput
          source="location.lng"
          label="app.cases.fields.lng"
          validate={[required(), number(), minValue(-180), maxValue(180)]}
          step={0.000001}
          fullWidth={false}
          sx={{ width: { sm: 200 } }}
          data-testid="location-lng"
        />
        <NumberInput
          source="location.lat"
          label="app.cases.fields.lat"
          validate={[required(), number(), minValue(-90), maxValue(90)]}
          step={0.000001}
          fullWidth={false}
          sx={{ width: { sm: 200 } }}
          data-testid="location-lat"
        />
        <TextInput source="location.address" label="app.cases.fields.address" fullWidth sx={{ flex: 1 }} />
      </Stack>
    </Box>
  );
};
