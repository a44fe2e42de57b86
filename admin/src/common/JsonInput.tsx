/**
 * A GeoJSON boundary edited as JSON text (a map editor comes later). While editing, the form holds
 * the text; `parseBoundary` (in the form's `transform`) turns it back into an object on save.
 */
import { TextInput, type TextInputProps, type Validator } from "react-admin";

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

export const BoundaryInput = (props: Omit<TextInputProps, "source"> & { source?: string }) => (
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
