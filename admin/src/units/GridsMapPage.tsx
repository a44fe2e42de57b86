/**
 * 网格地图 (`#/units/map`): every grid (or micro-grid, community, street) of the caller's part of the
 * county on one Leaflet map, coloured by open cases, by the month's overdue events or by this month's
 * appraisal band (the five colours, `GET /v1/appraisals/{month}/map`, for callers with appraisals:read), with a legend;
 * hovering shows the unit's path and figures, a click opens the unit. Fast at county size: one
 * request (`GET /v1/units/map?level=`, boundaries at map precision), ONE GeoJSON layer for all units
 * drawn on a canvas renderer (no SVG element per unit), Leaflet's line simplification while drawing.
 */
import "leaflet/dist/leaflet.css";
import { useEffect, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { Alert, Box, Card, CardContent, MenuItem, Skeleton, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from "@mui/material";
import L from "leaflet";
import type { Feature, FeatureCollection } from "geojson";
import { GeoJSON, MapContainer, ScaleControl, TileLayer, useMap } from "react-leaflet";
import { Title, useDataProvider, usePermissions, useTranslate } from "react-admin";
import { bandCss, type Band } from "../appraisals/model.ts";
import { useBandLabel } from "../appraisals/common.tsx";
import type { AppDataProvider } from "../dataProvider.ts";
import { boundaryToDisplay, boundsOf, isBoundary, type Boundary, type LatLngBounds } from "../map/geo.ts";
import { useTiles } from "../map/tiles.ts";
import { colorFor, NO_FIGURES_COLOR, scaleSteps, type Metric, type UnitFigures } from "./figures.ts";

interface MapUnit {
  id: string;
  name: string;
  code: string;
  pathName: string;
  boundary?: Boundary;
  figures?: UnitFigures;
}
interface MapAnswer {
  month: string;
  level: string;
  truncated: boolean;
  items: MapUnit[];
}

const LEVELS = ["grid", "micro_grid", "community", "street"] as const;
type Colouring = Metric | "band";
interface BandAnswer { bands: Band[]; items: { id: string; band: Band | null }[] }
const renderer = L.canvas({ padding: 0.2 });

const Fit = ({ bounds }: { bounds: LatLngBounds | undefined }) => {
  const map = useMap();
  const key = bounds ? bounds.flat().join(",") : "";
  useEffect(() => {
    if (bounds) map.fitBounds(bounds, { padding: [16, 16], animate: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key]);
  return null;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export default function GridsMapPage() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [level, setLevel] = useState<(typeof LEVELS)[number]>("grid");
  const [colouring, setColouring] = useState<Colouring>("open");
  const metric: Metric = colouring === "band" ? "open" : colouring;
  const { permissions } = usePermissions<string[]>();
  const bandLabel = useBandLabel();
  const mayBand = !!permissions?.includes("appraisals:read");
  const q = useQuery({ queryKey: ["wangge", "units-map", level], queryFn: () => dataProvider.getRaw<MapAnswer>("/v1/units/map", { level }) });
  // this month's band of each unit, read only when asked for
  const bandQ = useQuery({
    queryKey: ["wangge", "units-map-bands", q.data?.month, level],
    enabled: colouring === "band" && !!q.data,
    queryFn: () => dataProvider.getRaw<BandAnswer>(`/v1/appraisals/${q.data!.month}/map`, { level }),
  });
  const bandOf = useMemo(() => new Map((bandQ.data?.items ?? []).map((i) => [i.id, i.band])), [bandQ.data]);
  // the base map's source (tiles.json): on GCJ-02 tiles (AMap, Tencent) the boundaries are drawn shifted as those tiles place them
  const { ready: tilesReady, tiles } = useTiles();
  const drawn = useMemo(
    () => (q.data?.items ?? []).filter((u) => isBoundary(u.boundary)).map((u) => (tiles?.crs === "gcj02" ? { ...u, boundary: boundaryToDisplay(u.boundary!, tiles.crs) } : u)),
    [q.data, tiles],
  );
  const max = useMemo(() => Math.max(0, ...drawn.map((u) => u.figures?.[metric] ?? 0)), [drawn, metric]);
  const steps = useMemo(() => scaleSteps(max), [max]);
  const collection: FeatureCollection = useMemo(
    () => ({
      type: "FeatureCollection",
      features: drawn.map((u): Feature => ({ type: "Feature", id: u.id, properties: { id: u.id }, geometry: u.boundary as Feature["geometry"] })),
    }),
    [drawn],
  );
  const byId = useMemo(() => new Map(drawn.map((u) => [u.id, u])), [drawn]);
  const bounds = useMemo(() => boundsOf(drawn.map((u) => u.boundary)), [drawn]);
  const totals = useMemo(
    () => drawn.reduce((t, u) => ({ open: t.open + (u.figures?.open ?? 0), overdue: t.overdue + (u.figures?.overdue ?? 0) }), { open: 0, overdue: 0 }),
    [drawn],
  );
  const label = (u: MapUnit) =>
    `<b>${escapeHtml(u.pathName)}</b><br/>${
      u.figures
        ? `${escapeHtml(translate("app.units_tree.open"))} ${u.figures.open} · ${escapeHtml(translate("app.units_tree.overdue"))} ${u.figures.overdue}`
        : escapeHtml(translate("app.grids_map.no_figures"))
    }`;

  return (
    <Card sx={{ mt: 2 }} data-testid="grids-map-page">
      <Title title={translate("app.grids_map.title")} />
      <CardContent>
        <Stack direction="row" sx={{ alignItems: "center", gap: 2, mb: 1, flexWrap: "wrap" }}>
          <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
            {translate("app.grids_map.title")}
          </Typography>
          <ToggleButtonGroup size="small" exclusive value={colouring} onChange={(_e, v: Colouring | null) => v && setColouring(v)}>
            <ToggleButton value="open" data-testid="metric-open">
              {translate("app.grids_map.by_open")}
            </ToggleButton>
            <ToggleButton value="overdue" data-testid="metric-overdue">
              {translate("app.grids_map.by_overdue")}
            </ToggleButton>
            {mayBand ? (
              <ToggleButton value="band" data-testid="metric-band">
                {translate("app.grids_map.by_band")}
              </ToggleButton>
            ) : null}
          </ToggleButtonGroup>
          <TextField
            select
            size="small"
            label={translate("app.grids_map.level")}
            value={level}
            onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}
            sx={{ width: 140 }}
            slotProps={{ select: { SelectDisplayProps: { "data-testid": "map-level" } as object } }}
          >
            {LEVELS.map((l) => (
              <MenuItem key={l} value={l}>
                {translate(`app.unit_levels.${l}`)}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        {q.data ? (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} data-testid="map-summary">
            {translate("app.grids_map.summary", { count: drawn.length, month: q.data.month, open: totals.open, overdue: totals.overdue })}
          </Typography>
        ) : null}
        {q.isError ? <Alert severity="error">{translate("app.units_tree.error")}</Alert> : null}
        {q.isLoading || !tilesReady ? (
          <Skeleton variant="rounded" height={560} />
        ) : (
          <Box
            data-testid="grids-map"
            data-units={drawn.length}
            data-metric={colouring === "band" ? (bandQ.data ? "band" : "band-loading") : metric}
            data-bands={colouring === "band" ? [...new Set(drawn.map((u) => bandOf.get(u.id)?.color ?? "na"))].sort().join(",") : undefined}
            sx={{
              height: 560,
              borderRadius: 1,
              overflow: "hidden",
              border: 1,
              borderColor: "divider",
              "& .leaflet-container": { height: "100%", width: "100%", backgroundColor: tiles ? undefined : "#f4f6f8" },
            }}
          >
            <MapContainer preferCanvas renderer={renderer} center={[35, 105]} zoom={4} scrollWheelZoom zoomAnimation={false} fadeAnimation={false} attributionControl={!!tiles?.attribution} style={{ height: "100%", width: "100%" }}>
              {tiles ? <TileLayer url={tiles.url} attribution={tiles.attribution} subdomains={tiles.subdomains} maxZoom={tiles.maxZoom} /> : null}
              <GeoJSON
                // a new layer when the units or the colouring change (GeoJSON's data and style are read once)
                key={`${level}:${colouring}:${q.dataUpdatedAt}:${bandQ.dataUpdatedAt}`}
                data={collection}
                style={(f) => {
                  const u = byId.get(String(f?.properties?.id));
                  const band = colouring === "band" ? bandOf.get(String(f?.properties?.id)) : undefined;
                  const color = colouring === "band" ? (band ? bandCss(band.color) : NO_FIGURES_COLOR) : u?.figures ? colorFor(u.figures[metric], steps) : NO_FIGURES_COLOR;
                  return { renderer, color: "#455a64", weight: 0.8, fillColor: color, fillOpacity: 0.65, smoothFactor: 1.5 };
                }}
                onEachFeature={(f, layer) => {
                  const u = byId.get(String(f.properties?.id));
                  if (!u) return;
                  layer.bindTooltip(label(u), { sticky: true });
                  layer.on("click", () => navigate(`/units/${encodeURIComponent(u.id)}/show`));
                }}
              />
              <Fit bounds={bounds} />
              <ScaleControl imperial={false} />
            </MapContainer>
          </Box>
        )}
        {colouring === "band" ? (
          <Stack direction="row" sx={{ gap: 2, mt: 1, flexWrap: "wrap", alignItems: "center" }} data-testid="map-legend">
            <Typography variant="caption" color="text.secondary">
              {translate("app.grids_map.legend_band", { month: q.data?.month ?? "" })}
            </Typography>
            {(bandQ.data?.bands ?? []).map((b) => (
              <Stack key={b.color} direction="row" sx={{ gap: 0.5, alignItems: "center" }}>
                <Box sx={{ width: 14, height: 14, bgcolor: bandCss(b.color), borderRadius: 0.5 }} />
                <Typography variant="caption">{bandLabel(b)}</Typography>
              </Stack>
            ))}
            {drawn.some((u) => !bandOf.get(u.id)) ? (
              <Stack direction="row" sx={{ gap: 0.5, alignItems: "center" }}>
                <Box sx={{ width: 14, height: 14, bgcolor: NO_FIGURES_COLOR, borderRadius: 0.5 }} />
                <Typography variant="caption">{translate("app.grids_map.no_band")}</Typography>
              </Stack>
            ) : null}
          </Stack>
        ) : (
        <Stack direction="row" sx={{ gap: 2, mt: 1, flexWrap: "wrap", alignItems: "center" }} data-testid="map-legend">
          <Typography variant="caption" color="text.secondary">
            {translate(metric === "open" ? "app.grids_map.legend_open" : "app.grids_map.legend_overdue")}
          </Typography>
          {steps.map((s) => (
            <Stack key={s.color} direction="row" sx={{ gap: 0.5, alignItems: "center" }}>
              <Box sx={{ width: 14, height: 14, bgcolor: s.color, borderRadius: 0.5 }} />
              <Typography variant="caption">{s.from === s.to ? s.from : `${s.from}–${s.to}`}</Typography>
            </Stack>
          ))}
          {drawn.some((u) => !u.figures) ? (
            <Stack direction="row" sx={{ gap: 0.5, alignItems: "center" }}>
              <Box sx={{ width: 14, height: 14, bgcolor: NO_FIGURES_COLOR, borderRadius: 0.5 }} />
              <Typography variant="caption">{translate("app.grids_map.no_figures")}</Typography>
            </Stack>
          ) : null}
        </Stack>
        )}
        {q.data?.truncated ? <Alert severity="info">{translate("app.grids_map.truncated")}</Alert> : null}
      </CardContent>
    </Card>
  );
}
