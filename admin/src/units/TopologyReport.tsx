/**
 * 拓扑检查结果 (`mode=check` of an import, core/unit/import-topology.ts): every finding of the file —
 * overlapping siblings, a unit reaching outside its parent, gaps between siblings, duplicated codes —
 * with its area in m², the file lines, and its shape highlighted on the map. The admin ticks the
 * findings they accept (a gap between villages can be real; a duplicated code cannot be accepted)
 * and imports: the rows of the accepted findings are written with their warnings.
 */
import { lazy, Suspense, useMemo, useState } from "react";
import { Alert, Box, Button as MuiButton, Checkbox, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useTranslate } from "react-admin";
import type { MapShape } from "../map/MapView.tsx";
import type { TopologyFinding } from "../../../core/unit/import-topology.ts";

const MapView = lazy(() => import("../map/MapView.tsx"));

/** Colour of each kind on the map and its chip. */
export const FINDING_COLORS: Record<TopologyFinding["kind"], string> = { overlap: "#e53935", outside_parent: "#fb8c00", gap: "#1e88e5", duplicate_code: "#6d4c41" };

export function TopologyReport({ findings, count, canImport, busy, onImport }: { findings: TopologyFinding[]; count: number; canImport: boolean; busy: boolean; onImport: (accept: string[]) => void }) {
  const translate = useTranslate();
  const [accepted, setAccepted] = useState<Set<string>>(new Set());
  const shapes: MapShape[] = useMemo(
    () =>
      findings
        .filter((f) => f.highlight)
        .map((f) => ({ id: f.id, boundary: f.highlight!, color: FINDING_COLORS[f.kind], label: `${translate(`app.import.topology.kinds.${f.kind}`)} · ${f.codes.join(" / ")} · ${(f.areaM2 ?? 0).toLocaleString()} m²` })),
    [findings, translate],
  );
  const blocking = findings.filter((f) => !f.acceptable);
  const open = findings.filter((f) => f.acceptable && !accepted.has(f.id));
  const toggle = (id: string) => setAccepted((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  if (!findings.length) {
    return (
      <Alert severity="success" sx={{ mt: 2 }} data-testid="topology-clean">
        {translate("app.import.topology.clean")}
      </Alert>
    );
  }
  return (
    <Box sx={{ mt: 2 }} data-testid="topology-report" data-count={count}>
      <Typography variant="subtitle2" sx={{ mb: 1 }}>
        {translate("app.import.topology.title", { count })}
      </Typography>
      {count > findings.length ? (
        <Typography variant="caption" color="text.secondary">
          {translate("app.import.topology.more", { shown: findings.length, count })}
        </Typography>
      ) : null}
      {shapes.length ? (
        <Suspense fallback={null}>
          <MapView shapes={shapes} height={320} data-testid="topology-map" />
        </Suspense>
      ) : null}
      <Table size="small" sx={{ mt: 1 }} data-testid="topology-findings">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox">{translate("app.import.topology.accept")}</TableCell>
            <TableCell>{translate("app.import.topology.kind")}</TableCell>
            <TableCell>{translate("app.import.topology.units")}</TableCell>
            <TableCell>{translate("app.import.line")}</TableCell>
            <TableCell align="right">{translate("app.import.topology.area")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {findings.map((f) => (
            <TableRow key={f.id} data-testid="topology-finding" data-id={f.id} data-kind={f.kind}>
              <TableCell padding="checkbox">
                {f.acceptable ? (
                  <Checkbox size="small" checked={accepted.has(f.id)} onChange={() => toggle(f.id)} slotProps={{ input: { "aria-label": translate("app.import.topology.accept") } }} data-testid="topology-accept" />
                ) : (
                  <Typography variant="caption" color="error">
                    {translate("app.import.topology.must_fix")}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <Chip size="small" label={translate(`app.import.topology.kinds.${f.kind}`)} sx={{ bgcolor: FINDING_COLORS[f.kind], color: "#fff" }} />
              </TableCell>
              <TableCell data-user-text>{f.codes.join(" / ")}</TableCell>
              <TableCell>{f.lines.map((l) => (l ? String(l) : translate("app.import.topology.in_county"))).join("、")}</TableCell>
              <TableCell align="right">{f.areaM2 !== undefined ? `${f.areaM2.toLocaleString()} m²${f.share !== undefined ? ` (${(f.share * 100).toFixed(1)} %)` : ""}` : "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {blocking.length ? (
        <Alert severity="error" sx={{ mt: 1 }}>
          {translate("app.import.topology.blocking", { count: blocking.length })}
        </Alert>
      ) : null}
      <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: "center" }}>
        <MuiButton variant="contained" disabled={!canImport || busy || blocking.length > 0} onClick={() => onImport([...accepted])} data-testid="topology-import">
          {translate("app.import.topology.import", { accepted: accepted.size })}
        </MuiButton>
        <Typography variant="body2" color="text.secondary">
          {!canImport ? translate("app.import.topology.choose_again") : open.length ? translate("app.import.topology.open_left", { count: open.length }) : translate("app.import.topology.all_accepted")}
        </Typography>
      </Stack>
    </Box>
  );
}
