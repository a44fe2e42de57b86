/**
 * 月度考评 (`/appraisals?period=&tab=`): pick a month, run or re-run it with live progress, lock it;
 * the five colours of every unit as a county map (choropleth over the unit boundaries, with a
 * legend) and as a table; the department ranking with its score broken down by part; grid
 * workers' scores with their points. Every table exports as CSV.
 */
import { lazy, Suspense, useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink, useSearchParams } from "react-router-dom";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Link,
  MenuItem,
  Skeleton,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  TextField,
  Typography,
} from "@mui/material";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import LockIcon from "@mui/icons-material/Lock";
import { Authenticated, Title, useCanAccess, useLocaleState, useNotify, useTranslate } from "react-admin";
import { intlLocale } from "../i18n/index.ts";
import { HttpError } from "react-admin";
import { notifyError } from "../common/notifyError.ts";
import { isBoundary } from "../map/geo.ts";
import type { MapShape } from "../map/MapView.tsx";
import { BandChip, Delta, ExportButton, Legend, MonthField, readAll, Score, useApi, useBandLabel } from "./common.tsx";
import { bandCss, isMonth, monthOf, shiftMonth, type Band } from "./model.ts";

const MapView = lazy(() => import("../map/MapView.tsx"));

type Run = { period: string; runId: string; status: "running" | "done"; total: number; done: number; subjects: Record<string, number>; rulesVersion: number; runs: number; locked: boolean; startedAt: string; finishedAt?: string; lockedAt?: string };
type Line = { key: string; value: number | null; weight: number; subScore: number | null; contribution: number | null };
type Summary = {
  id: string;
  subject: string;
  name: string;
  code?: string;
  level?: string;
  pathName?: string;
  score: number | null;
  band?: (Band & { rank: number }) | null;
  grade?: string | null;
  rank?: number | null;
  change: { previousScore: number | null; delta: number | null; previousBand?: string | null; previousGrade?: string | null } | null;
  points?: { points: number };
  rulesVersion: number;
  indicators: Record<string, number | null>;
  breakdown?: { lines: Line[]; adjustments: { key: string; value: number; points: number }[] };
};

const DEPARTMENT_PARTS = ["volume", "closeRate", "onTimeHandleRate", "reworkComplement"] as const;

function useRun(period: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["wangge", "appraisal-run", period],
    queryFn: async () => {
      try {
        return await api.getRaw<Run>(`/v1/appraisals/${period}/run`);
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) return null;
        throw e;
      }
    },
    // live progress while the run is going
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1000 : false),
  });
}

const RunPanel = ({ period, run, loading }: { period: string; run: Run | null | undefined; loading: boolean }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const api = useApi();
  const qc = useQueryClient();
  const { canAccess: canRun } = useCanAccess({ resource: "appraisals", action: "run" });
  const { canAccess: canLock } = useCanAccess({ resource: "appraisals", action: "lock" });
  const [confirm, setConfirm] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ["wangge"] });
  const start = useMutation({
    mutationFn: () => api.postRaw<Run>("/v1/appraisals/run", { period }),
    onSuccess: (r) => {
      qc.setQueryData(["wangge", "appraisal-run", period], r);
      notify("app.appraisals.run_started", { type: "info" });
    },
    onError: (e) => notifyError(notify, e),
  });
  const lock = useMutation({
    mutationFn: () => api.postRaw<Run>(`/v1/appraisals/${period}/lock`),
    onSuccess: () => {
      setConfirm(false);
      void refresh();
      notify("app.appraisals.locked_done", { type: "success" });
    },
    onError: (e) => notifyError(notify, e),
  });
  const running = run?.status === "running";
  const pct = run && run.total ? Math.round((100 * run.done) / run.total) : running ? 0 : 100;
  const status = !run ? "not_run" : run.locked ? "locked" : running ? "running" : "done";
  return (
    <Card variant="outlined" data-testid="run-panel" data-status={status}>
      <CardContent>
        <Stack direction={{ xs: "column", md: "row" }} spacing={2} sx={{ alignItems: { md: "center" } }}>
          <Box sx={{ flex: 1 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
              <Typography variant="subtitle1">{translate(`app.appraisals.status.${status}`)}</Typography>
              {run?.locked ? <Chip size="small" icon={<LockIcon />} label={translate("app.appraisals.locked")} color="default" /> : null}
              {run ? <Chip size="small" variant="outlined" label={translate("app.appraisals.rules_version", { version: run.rulesVersion })} /> : null}
            </Stack>
            {loading ? <Skeleton width={240} /> : null}
            {run ? (
              <Typography variant="body2" color="text.secondary">
                {translate("app.appraisals.run_summary", {
                  runs: run.runs,
                  units: run.subjects.unit ?? 0,
                  departments: run.subjects.department ?? 0,
                  workers: run.subjects.worker ?? 0,
                  at: new Date(run.finishedAt ?? run.startedAt).toLocaleString(intlLocale(locale), { hour12: false }),
                })}
              </Typography>
            ) : !loading ? (
              <Typography variant="body2" color="text.secondary">
                {translate("app.appraisals.not_run_hint")}
              </Typography>
            ) : null}
            {running ? (
              <Box sx={{ mt: 1 }} data-testid="run-progress">
                <LinearProgress variant="determinate" value={pct} />
                <Typography variant="caption">{translate("app.appraisals.progress", { done: run.done, total: run.total })}</Typography>
              </Box>
            ) : null}
          </Box>
          {canRun && !run?.locked ? (
            <Button variant="contained" startIcon={<PlayArrowIcon />} disabled={running || start.isPending} onClick={() => start.mutate()} data-testid="run-button">
              {translate(run ? "app.appraisals.rerun" : "app.appraisals.run")}
            </Button>
          ) : null}
          {canLock && run && !run.locked ? (
            <Button variant="outlined" color="warning" startIcon={<LockIcon />} disabled={running} onClick={() => setConfirm(true)} data-testid="lock-button">
              {translate("app.appraisals.lock")}
            </Button>
          ) : null}
        </Stack>
      </CardContent>
      <Dialog open={confirm} onClose={() => setConfirm(false)} data-testid="lock-dialog">
        <DialogTitle>{translate("app.appraisals.lock_title", { period })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2">{translate("app.appraisals.lock_explain")}</Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(false)}>{translate("ra.action.cancel")}</Button>
          <Button color="warning" variant="contained" disabled={lock.isPending} onClick={() => lock.mutate()} data-testid="lock-confirm">
            {translate("app.appraisals.lock")}
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
};

type MapData = { bands: Band[]; truncated: boolean; items: { id: string; name: string; pathName: string; score: number | null; band: Band | null; boundary?: unknown }[] };

const LEVELS = ["grid", "community", "street", "micro_grid"];

const UnitsMap = ({ period, runKey }: { period: string; runKey: string }) => {
  const translate = useTranslate();
  const api = useApi();
  const label = useBandLabel();
  const [level, setLevel] = useState("grid");
  const q = useQuery({ queryKey: ["wangge", "appraisal-map", period, level, runKey], queryFn: () => api.getRaw<MapData>(`/v1/appraisals/${period}/map`, { level }) });
  const shapes: MapShape[] = useMemo(
    () =>
      (q.data?.items ?? [])
        .filter((u) => isBoundary(u.boundary))
        .map((u) => ({
          id: u.id,
          boundary: u.boundary as MapShape["boundary"],
          color: bandCss(u.band?.color),
          label: `${u.pathName} · ${u.score === null ? translate("app.appraisals.na") : u.score.toFixed(2)} · ${label(u.band)}`,
        })),
    [q.data, translate, label],
  );
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.appraisals.map_title")}
          </Typography>
          <TextField select size="small" label={translate("app.appraisals.level")} value={level} onChange={(e) => setLevel(e.target.value)} sx={{ width: 160 }}>
            {LEVELS.map((l) => (
              <MenuItem key={l} value={l}>
                {translate(`app.appraisals.levels.${l}`)}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        {q.isLoading ? (
          <Skeleton variant="rounded" height={420} />
        ) : (
          <Suspense fallback={<Skeleton variant="rounded" height={420} />}>
            <Box data-testid="choropleth" data-colors={[...new Set((q.data?.items ?? []).map((i) => i.band?.color ?? "na"))].sort().join(",")}>
              <MapView shapes={shapes} height={420} data-testid="appraisal-map" />
            </Box>
          </Suspense>
        )}
        <Box sx={{ mt: 1 }}>{q.data ? <Legend bands={q.data.bands} /> : null}</Box>
        {q.data?.truncated ? <Alert severity="info">{translate("app.appraisals.map_truncated")}</Alert> : null}
      </CardContent>
    </Card>
  );
};

function useResults(period: string, subject: string, sort: string, runKey: string, detail?: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["wangge", "appraisals", period, subject, sort, detail, runKey],
    queryFn: () => readAll<Summary>(api, "/v1/appraisals", { period, subject, sort, detail }, 10),
  });
}

const resultLink = (subject: string, id: string, period: string) => `/appraisals/${subject}/${encodeURIComponent(id)}/${period}`;

const UnitsTable = ({ period, runKey }: { period: string; runKey: string }) => {
  const translate = useTranslate();
  const label = useBandLabel();
  const [sort, setSort] = useState("place");
  const [onlyLevel, setOnlyLevel] = useState("");
  const q = useResults(period, "unit", sort, runKey);
  const rows = (q.data ?? []).filter((r) => !onlyLevel || r.level === onlyLevel);
  const header = ["unit", "level", "score", "band", "previous", "delta", "rules"].map((c) => translate(`app.appraisals.col.${c}`));
  const csvRow = (r: Summary) => [r.pathName ?? r.name, translate(`app.appraisals.levels.${r.level}`, { _: r.level ?? "" }), r.score, label(r.band), r.change?.previousScore ?? "", r.change?.delta ?? "", r.rulesVersion];
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.appraisals.units_title")}
          </Typography>
          <TextField select size="small" label={translate("app.appraisals.level")} value={onlyLevel} onChange={(e) => setOnlyLevel(e.target.value)} sx={{ width: 140 }}>
            <MenuItem value="">{translate("app.appraisals.all_levels")}</MenuItem>
            {LEVELS.map((l) => (
              <MenuItem key={l} value={l}>
                {translate(`app.appraisals.levels.${l}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField select size="small" label={translate("app.appraisals.sort")} value={sort} onChange={(e) => setSort(e.target.value)} sx={{ width: 160 }}>
            {["place", "score", "-score"].map((s) => (
              <MenuItem key={s} value={s}>
                {translate(`app.appraisals.sorts.${s}`)}
              </MenuItem>
            ))}
          </TextField>
          <ExportButton testId="export-units" filename={`five-colors-${period}.csv`} build={async () => ({ header, rows: rows.map(csvRow) })} />
        </Stack>
        {q.isLoading ? <LinearProgress /> : null}
        <Table size="small" data-testid="units-table">
          <TableHead>
            <TableRow>
              {header.map((h) => (
                <TableCell key={h}>{h}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} hover data-testid="unit-row" data-id={r.id} data-color={r.band?.color ?? "na"}>
                <TableCell>
                  <Link component={RouterLink} to={resultLink("unit", r.id, period)}>
                    {r.pathName ?? r.name}
                  </Link>
                </TableCell>
                <TableCell>{translate(`app.appraisals.levels.${r.level}`, { _: r.level ?? "" })}</TableCell>
                <TableCell>
                  <Score value={r.score} />
                </TableCell>
                <TableCell>
                  <BandChip band={r.band} />
                </TableCell>
                <TableCell>{r.change ? <Score value={r.change.previousScore} /> : "—"}</TableCell>
                <TableCell>
                  <Delta value={r.change?.delta} />
                </TableCell>
                <TableCell>v{r.rulesVersion}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {!q.isLoading && !rows.length ? <Typography sx={{ p: 2 }} color="text.secondary">{translate("app.appraisals.no_results")}</Typography> : null}
      </CardContent>
    </Card>
  );
};

const partOf = (r: Summary, key: string) => r.breakdown?.lines.find((l) => l.key === key);
const adj = (r: Summary, key: string) => r.breakdown?.adjustments.find((a) => a.key === key);

const DepartmentsTable = ({ period, runKey }: { period: string; runKey: string }) => {
  const translate = useTranslate();
  const q = useResults(period, "department", "score", runKey, "breakdown");
  const rows = q.data ?? [];
  const header = [
    translate("app.appraisals.col.rank"),
    translate("app.appraisals.col.department"),
    translate("app.appraisals.col.score"),
    translate("app.appraisals.col.grade"),
    ...DEPARTMENT_PARTS.map((p) => translate(`app.appraisals.parts.${p}`)),
    translate("app.appraisals.parts.claimPoints"),
    translate("app.appraisals.parts.supervised"),
    translate("app.appraisals.col.delta"),
  ];
  const fmt = (l: Line | undefined) => (l && l.value !== null ? `${l.value.toFixed(1)} → ${l.contribution?.toFixed(2) ?? "—"}` : "—");
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 1 }}>
          <Box sx={{ flex: 1 }}>
            <Typography variant="subtitle1">{translate("app.appraisals.departments_title")}</Typography>
            <Typography variant="caption" color="text.secondary">
              {translate("app.appraisals.departments_hint")}
            </Typography>
          </Box>
          <ExportButton
            testId="export-departments"
            filename={`departments-${period}.csv`}
            build={async () => ({
              header,
              rows: rows.map((r) => [r.rank ?? "", r.name, r.score, r.grade ?? "", ...DEPARTMENT_PARTS.map((p) => partOf(r, p)?.value ?? ""), adj(r, "claimPoints")?.points ?? "", adj(r, "supervised")?.points ?? "", r.change?.delta ?? ""]),
            })}
          />
        </Stack>
        {q.isLoading ? <LinearProgress /> : null}
        <Table size="small" data-testid="departments-table">
          <TableHead>
            <TableRow>
              {header.map((h) => (
                <TableCell key={h}>{h}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} hover data-testid="department-row" data-id={r.id} data-rated={r.score !== null}>
                <TableCell>{r.rank ?? "—"}</TableCell>
                <TableCell>
                  <Link component={RouterLink} to={resultLink("department", r.id, period)}>
                    {r.name}
                  </Link>
                </TableCell>
                <TableCell>
                  <Score value={r.score} />
                </TableCell>
                <TableCell>{r.grade ?? "—"}</TableCell>
                {DEPARTMENT_PARTS.map((p) => (
                  <TableCell key={p}>{fmt(partOf(r, p))}</TableCell>
                ))}
                <TableCell sx={{ color: "success.main" }}>{adj(r, "claimPoints")?.points ? `+${adj(r, "claimPoints")!.points}` : "0"}</TableCell>
                <TableCell sx={{ color: "error.main" }}>{adj(r, "supervised")?.points ? `${adj(r, "supervised")!.points}` : "0"}</TableCell>
                <TableCell>
                  <Delta value={r.change?.delta} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};

const WorkersTable = ({ period, runKey }: { period: string; runKey: string }) => {
  const translate = useTranslate();
  const q = useResults(period, "worker", "score", runKey);
  const rows = q.data ?? [];
  const header = ["rank", "worker", "grid", "score", "grade", "validReportRate", "onTimeVerifyRate", "onTimeCheckRate", "missedReportRate", "points", "delta"].map((c) => translate(`app.appraisals.col.${c}`));
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v.toFixed(1)}%`);
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.appraisals.workers_title")}
          </Typography>
          <ExportButton
            testId="export-workers"
            filename={`grid-workers-${period}.csv`}
            build={async () => ({
              header,
              rows: rows.map((r) => [r.rank ?? "", r.name, r.pathName ?? "", r.score, r.grade ?? "", r.indicators.validReportRate, r.indicators.onTimeVerifyRate, r.indicators.onTimeCheckRate, r.indicators.missedReportRate, r.points?.points ?? "", r.change?.delta ?? ""]),
            })}
          />
        </Stack>
        {q.isLoading ? <LinearProgress /> : null}
        <Table size="small" data-testid="workers-table">
          <TableHead>
            <TableRow>
              {header.map((h) => (
                <TableCell key={h}>{h}</TableCell>
              ))}
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} hover data-testid="worker-row" data-id={r.id}>
                <TableCell>{r.rank ?? "—"}</TableCell>
                <TableCell>
                  <Link component={RouterLink} to={resultLink("worker", r.id, period)}>
                    {r.name}
                  </Link>
                </TableCell>
                <TableCell>{r.pathName ?? "—"}</TableCell>
                <TableCell>
                  <Score value={r.score} />
                </TableCell>
                <TableCell>{r.grade ?? "—"}</TableCell>
                <TableCell>{pct(r.indicators.validReportRate)}</TableCell>
                <TableCell>{pct(r.indicators.onTimeVerifyRate)}</TableCell>
                <TableCell>{pct(r.indicators.onTimeCheckRate)}</TableCell>
                <TableCell>{pct(r.indicators.missedReportRate)}</TableCell>
                <TableCell>{r.points?.points ?? 0}</TableCell>
                <TableCell>
                  <Delta value={r.change?.delta} />
                </TableCell>
                <TableCell>
                  <Button size="small" component={RouterLink} to={`/appraisals/points/${encodeURIComponent(r.id)}`} data-testid="open-ledger">
                    {translate("app.appraisals.points.ledger")}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};

const TABS = ["units", "departments", "workers"] as const;

function AppraisalsScreen() {
  const translate = useTranslate();
  const [params, setParams] = useSearchParams();
  const period = isMonth(params.get("period")) ? params.get("period")! : shiftMonth(monthOf(new Date()), 0);
  const tab = (TABS as readonly string[]).includes(params.get("tab") ?? "") ? params.get("tab")! : "units";
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };
  const run = useRun(period);
  // results change when a run finishes: key the result queries by the run and its status
  const runKey = `${run.data?.runId ?? "none"}:${run.data?.status ?? ""}`;
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }} data-testid="appraisals-page">
      <Title title={translate("app.appraisals.title")} />
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 2 }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {translate("app.appraisals.title")}
        </Typography>
        <MonthField value={period} onChange={(v) => set("period", v)} />
      </Stack>
      <RunPanel period={period} run={run.data} loading={run.isLoading} />
      <Tabs value={tab} onChange={(_, v) => set("tab", v)} sx={{ mt: 2, mb: 1 }}>
        {TABS.map((t) => (
          <Tab key={t} value={t} label={translate(`app.appraisals.tabs.${t}`)} data-testid={`tab-${t}`} />
        ))}
      </Tabs>
      {run.data === null ? (
        <Alert severity="info">{translate("app.appraisals.not_run_hint")}</Alert>
      ) : tab === "units" ? (
        <Stack spacing={2}>
          <UnitsMap period={period} runKey={runKey} />
          <UnitsTable period={period} runKey={runKey} />
        </Stack>
      ) : tab === "departments" ? (
        <DepartmentsTable period={period} runKey={runKey} />
      ) : (
        <WorkersTable period={period} runKey={runKey} />
      )}
    </Box>
  );
}

export default function AppraisalsPage() {
  return (
    <Authenticated>
      <AppraisalsScreen />
    </Authenticated>
  );
}
