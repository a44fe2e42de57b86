/**
 * A GeoJSON boundary edited as JSON text, or loaded from a GeoJSON file (a geometry, Feature or
 * FeatureCollection), with a map preview. While editing, the form holds the text; `parseBoundary`
 * (in the form's `transform`) turns it back into an object on save.
 */
import { lazy, Suspense, useRef } from "react";
import { Box, Skeleton, Stack } from "@mui/material";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { useFormContext, useWatch } from "react-hook-form";
import { Button, TextInput, useNotify, type TextInputProps, type Validator } from "react-admin";
import { boundaryFromGeoJson, isBoundary } from "../map/geo.ts";

const MapView = lazy(() => import("../map/MapView.tsx"));

const format = (v: unknown): string => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2));
const parse = (s: string): unknown => (s && s.trim() ? s : null);

function asObject(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

export const validatePolygon: Validator = (value: unknown) => {
  if (value === undefined || value === null || value === "") return undefined;
  let g: { type?: unknown; coordinates?: unknown };
  try {
    g = asObject(value) as typeof g;
  } catch {
    return "app.validation.json";
  }
  if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon") || !Array.isArray(g.coordinates)) return "app.validation.geojson_polygon";
  return undefined;
};

/** The form value (text or object) as the API wants it: an object, or null to remove it. */
export function parseBoundary(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return null;
  return asObject(value);
}

/** Read a GeoJSON file into the boundary field. */
const BoundaryFileButton = ({ source }: { source: string }) => {
  const input = useRef<HTMLInputElement>(null);
  const { setValue } = useFormContext();
  const notify = useNotify();
  const load = async (file: File | undefined) => {
    if (!file) return;
    const read = boundaryFromGeoJson(await file.text());
    if (!read.ok) {
      notify(read.error, { type: "error" });
      return;
    }
    setValue(source, JSON.stringify(read.boundary, null, 2), { shouldDirty: true, shouldValidate: true });
    notify("app.units.boundary_loaded", { type: "info", messageArgs: { name: file.name, type: read.boundary.type } });
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".geojson,.json,application/geo+json,application/json"
        hidden
        data-testid="boundary-file"
        onChange={(e) => {
          void load(e.target.files?.[0]);
          e.target.value = "";
        }}
      />
      <Button label="app.units.boundary_file" onClick={() => input.current?.click()} data-testid="boundary-file-button">
        <UploadFileIcon />
      </Button>
    </>
  );
};

/** The boundary being edited, on a map, when it reads as a polygon. */
const BoundaryPreview = ({ source }: { source: string }) => {
  const value = useWatch({ name: source });
  let geometry: unknown;
  try {
    geometry = typeof value === "string" && value.trim() ? JSON.parse(value) : value;
  } catch {
    geometry = undefined;
  }
  if (!isBoundary(geometry)) return null;
  return (
    <Box sx={{ width: "100%", mb: 2 }}>
      <Suspense fallback={<Skeleton variant="rounded" height={240} />}>
        <MapView shapes={[{ id: "edited", boundary: geometry }]} height={240} data-testid="boundary-preview" />
      </Suspense>
    </Box>
  );
};

export const BoundaryInput = (props: Omit<TextInputProps, "source"> & { source?: string }) => (
  <Stack sx={{ width: "100%" }}>
    <Box>
      <BoundaryFileButton source={props.source ?? "boundary"} />
    </Box>
    <BoundaryText {...props} />
    <BoundaryPreview source={props.source ?? "boundary"} />
  </Stack>
);

const BoundaryText = (props: Omit<TextInputProps, "source"> & { source?: string }) => (
  <TextInput
    source="boundary"
    multiline
    minRows={4}
    maxRows={16}
    fullWidth
    format={format}
    parse={parse}
    validate={validatePolygon}
    helperText="app.units.boundary_help"
    slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: "monospace", fontSize: 12 }, "data-testid": "boundary-json" } }}
    {...props}
  />
);

/** Number of positions in a GeoJSON geometry. */
export function countPositions(coordinates: unknown): number {
  if (!Array.isArray(coordinates)) return 0;
  if (typeof coordinates[0] === "number") return 1;
  return coordinates.reduce((n: number, c: unknown) => n + countPositions(c), 0);
}
