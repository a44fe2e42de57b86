/**
 * First-run guide (开通向导) for a new county: official divisions, boundaries, departments,
 * categories, staff — each step says what is done and what is left, read from the data itself,
 * so the guide can be left and resumed at any time.
 *
 * Step 1 reads the county's file of the national divisions (`/divisions/<code>.json`, built with
 * the console from the statistics bureau's codes) and sends the picked townships and villages
 * through the unit import (`POST /v1/units/import?format=csv&mode=partial`: a job with progress;
 * a re-run changes nothing).
 */
import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink, useSearchParams } from "react-router-dom";
import {
  Alert, Box, Button, Card, CardContent, Checkbox, Chip, Collapse, FormControlLabel, IconButton, LinearProgress, Skeleton, Stack, Step, StepContent, StepLabel, Stepper,
  Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography,
} from "@mui/material";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import ExpandLessIcon from "@mui/icons-material/ExpandLess";
import { Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider, RawPath } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { JobProgress } from "../units/ImportPage.tsx";
import { choicesOf, importCsv, toggle, type CountyFile, type DivisionChoice } from "./divisionsModel.ts";

interface UnitRow { id: string; code: string; name: string; depth: number; boundary?: unknown }
interface Page<T> { items: T[]; nextCursor?: string | null }

/** Every page of a list (bounded: the guide reads townships and villages, a few hundred). */
async function allPages<T>(api: AppDataProvider, path: RawPath<"get">, query: Record<string, string>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await api.getRaw<Page<T>>(path, { ...query, limit: "200", ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/** The county's townships and villages that exist already (code → unit). */
function useCountyUnits(countyCode: string | undefined) {
  const api = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ["wangge", "setup", "units", countyCode],
    enabled: !!countyCode,
    queryFn: async () => {
      const root = (await api.getRaw<Page<UnitRow>>("/v1/units", { q: countyCode!, limit: "1" })).items[0];
      if (!root) return { root: undefined, units: new Map<string, UnitRow>() };
      const streets = await allPages<UnitRow>(api, "/v1/units", { parentId: root.id });
      const villages = (await Promise.all(streets.map((s) => allPages<UnitRow>(api, "/v1/units", { parentId: s.id })))).flat();
      return { root, units: new Map([...streets, ...villages].map((u) => [u.code, u])) };
    },
  });
}

const DivisionsStep = ({ countyCode, units, onImported }: { countyCode: string; units: Map<string, UnitRow>; onImported: () => void }) => {
  const translate = useTranslate();
  const api = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job");
  const { data: file, isPending, isError } = useQuery({
    queryKey: ["wangge", "divisions", countyCode],
    queryFn: async () => {
      const r = await fetch(`/divisions/${countyCode}.json`);
      if (!r.ok) throw new Error(String(r.status));
      return (await r.json()) as CountyFile;
    },
    staleTime: Infinity,
    retry: false,
  });
  const existing = useMemo(() => new Map([...units].map(([code, u]) => [code, u.name])), [units]);
  const [short, setShort] = useState(true);
  const [edited, setEdited] = useState<DivisionChoice[] | undefined>();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const choices = useMemo(() => edited ?? (file ? choicesOf(file, existing, short) : []), [edited, file, existing, short]);

  if (isError) return <Alert severity="warning" data-testid="divisions-missing">{translate("app.setup.divisions.missing", { code: countyCode })}</Alert>;
  if (isPending || !file) return <Skeleton variant="rounded" height={200} />;

  const plan = importCsv(choices);
  const picked = choices.filter((c) => c.picked);
  const streets = choices.filter((c) => c.level === "street");
  const rename = (code: string, name: string) => setEdited(choices.map((c) => (c.code === code ? { ...c, name } : c)));
  const start = async () => {
    setBusy(true);
    try {
      const out = await api.postFile<{ jobId: string }>("/v1/units/import", new Blob([plan.csv], { type: "text/csv" }), "text/csv; charset=utf-8", { format: "csv", mode: "partial" });
      setParams({ job: out.jobId });
      notify("app.import.started", { type: "info" });
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };
  const row = (c: DivisionChoice, child: boolean) => (
    <TableRow key={c.code} data-testid={`division-${c.code}`} hover>
      <TableCell padding="checkbox" sx={child ? { pl: 5 } : undefined}>
        <Checkbox size="small" checked={c.picked} onChange={(e) => setEdited(toggle(choices, c.code, e.target.checked))} slotProps={{ input: { "aria-label": c.official, "data-testid": `pick-${c.code}` } as object }} />
      </TableCell>
      <TableCell sx={{ fontFamily: "monospace", whiteSpace: "nowrap" }}>{c.code}</TableCell>
      <TableCell sx={{ minWidth: 220 }}>
        <Stack direction="row" sx={{ alignItems: "center", gap: 0.5 }}>
          {!child ? (
            <IconButton size="small" onClick={() => setOpen({ ...open, [c.code]: !open[c.code] })} aria-label={translate(open[c.code] ? "app.setup.divisions.collapse" : "app.setup.divisions.expand")} data-testid={`expand-${c.code}`}>
              {open[c.code] ? <ExpandLessIcon fontSize="small" /> : <ExpandMoreIcon fontSize="small" />}
            </IconButton>
          ) : null}
          <TextField size="small" variant="standard" value={c.name} onChange={(e) => rename(c.code, e.target.value)} disabled={!c.picked} slotProps={{ htmlInput: { "data-testid": `name-${c.code}`, maxLength: 64 } }} fullWidth />
        </Stack>
      </TableCell>
      <TableCell sx={{ color: "text.secondary" }}>{c.official}</TableCell>
      <TableCell>
        {c.existing === undefined ? (
          <Chip size="small" label={translate("app.setup.divisions.new")} color="primary" variant="outlined" />
        ) : c.existing === c.name.trim() ? (
          <Chip size="small" label={translate("app.setup.divisions.exists")} color="success" variant="outlined" data-testid={`exists-${c.code}`} />
        ) : (
          <Chip size="small" label={translate("app.setup.divisions.renamed", { name: c.existing })} color="warning" variant="outlined" />
        )}
      </TableCell>
    </TableRow>
  );
  return (
    <Stack spacing={2} data-testid="divisions-step">
      <Typography variant="body2">
        {translate("app.setup.divisions.found", { province: file.province, city: file.city, county: file.name, streets: streets.length, villages: choices.length - streets.length })}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {translate("app.setup.divisions.source")}：{file.source}
      </Typography>
      <FormControlLabel
        control={<Checkbox checked={short} onChange={(e) => (setShort(e.target.checked), setEdited(undefined))} data-testid="short-names" />}
        label={translate("app.setup.divisions.short_names")}
      />
      <Box sx={{ maxHeight: 480, overflow: "auto", border: 1, borderColor: "divider", borderRadius: 1 }}>
        <Table size="small" stickyHeader data-testid="divisions-table">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>{translate("app.setup.divisions.code")}</TableCell>
              <TableCell>{translate("app.setup.divisions.name")}</TableCell>
              <TableCell>{translate("app.setup.divisions.official")}</TableCell>
              <TableCell>{translate("app.setup.divisions.state")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {streets.map((s) => [row(s, false), ...(open[s.code] ? choices.filter((c) => c.parentCode === s.code).map((c) => row(c, true)) : [])])}
          </TableBody>
        </Table>
      </Box>
      <Stack direction="row" sx={{ alignItems: "center", gap: 2, flexWrap: "wrap" }}>
        <Button variant="contained" disabled={busy || plan.rows === 0} onClick={start} data-testid="divisions-import">
          {translate("app.setup.divisions.import", { count: plan.rows })}
        </Button>
        <Typography variant="body2" color="text.secondary" data-testid="divisions-summary">
          {translate("app.setup.divisions.summary", { picked: picked.length, rows: plan.rows })}
        </Typography>
      </Stack>
      {busy ? <LinearProgress /> : null}
      {jobId ? <JobProgress jobId={jobId} onFinished={onImported} /> : null}
    </Stack>
  );
};

/** A later step: what exists, and where to do the rest. */
const CountStep = ({ help, count, more, to, action, also }: { help: string; count: number; more: boolean; to: string; action: string; also?: { to: string; label: string } }) => {
  const translate = useTranslate();
  return (
    <Stack spacing={1} sx={{ alignItems: "flex-start" }}>
      <Typography variant="body2">{translate(help)}</Typography>
      <Typography variant="body2" color="text.secondary">
        {translate("app.setup.count", { count: more ? `${count}+` : count })}
      </Typography>
      <Stack direction="row" sx={{ gap: 1 }}>
        <Button component={RouterLink} to={to} variant="outlined" size="small">
          {translate(action)}
        </Button>
        {also ? (
          <Button component={RouterLink} to={also.to} variant="outlined" size="small" data-testid="setup-catalogue">
            {translate(also.label)}
          </Button>
        ) : null}
      </Stack>
    </Stack>
  );
};

const useCount = (path: RawPath<"get">, min = 1) => {
  const api = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ["wangge", "setup", "count", path],
    queryFn: async () => {
      const page = await api.getRaw<Page<unknown>>(path, { limit: "200" });
      return { count: page.items.length, more: !!page.nextCursor, done: page.items.length >= min };
    },
  });
};

export default function SetupPage() {
  const translate = useTranslate();
  const api = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ["wangge", "settings"], queryFn: () => api.getRaw<{ countyCode: string; countyName: string; levels: { segmentDigits: number }[] }>("/v1/settings") });
  const countyCode = settings.data?.countyCode;
  const county = useCountyUnits(countyCode);
  const departments = useCount("/v1/departments");
  const categories = useCount("/v1/categories");
  const staff = useCount("/v1/users", 2);
  const [active, setActive] = useState<number | undefined>();

  if (settings.isError || county.isError) return <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert>;
  if (!settings.data || !county.data || !departments.data || !categories.data || !staff.data) return <Skeleton variant="rounded" height={400} />;

  const units = [...county.data.units.values()];
  const withBoundary = units.filter((u) => u.boundary).length;
  const officialLevels = settings.data.levels.slice(0, 2).every((l) => l.segmentDigits === 3);
  const steps = [
    { key: "divisions", done: units.length > 0, summary: translate("app.setup.divisions.done", { count: units.length }) },
    { key: "boundaries", done: units.length > 0 && withBoundary === units.length, summary: translate("app.setup.boundaries.done", { with: withBoundary, total: units.length }) },
    { key: "departments", done: !!departments.data?.done, summary: translate("app.setup.count", { count: departments.data?.count ?? 0 }) },
    { key: "categories", done: !!categories.data?.done, summary: translate("app.setup.count", { count: categories.data?.count ?? 0 }) },
    { key: "staff", done: !!staff.data?.done, summary: translate("app.setup.count", { count: staff.data?.count ?? 0 }) },
  ];
  // the first step left to do when the page opens; afterwards the step the admin is in stays open (an import finishing does not move it)
  const current = active ?? Math.max(0, steps.findIndex((s) => !s.done));
  if (active === undefined) setActive(current);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["wangge", "setup"] });

  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }} data-testid="setup-page">
      <Title title="app.setup.title" />
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6">
            {translate("app.setup.heading", { county: settings.data.countyName, code: settings.data.countyCode })}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate("app.setup.intro", { done: steps.filter((s) => s.done).length, total: steps.length })}
          </Typography>
          <Stepper orientation="vertical" nonLinear activeStep={current}>
            {steps.map((s, i) => (
              <Step key={s.key} completed={s.done} data-testid={`setup-step-${s.key}`} data-done={s.done}>
                <StepLabel onClick={() => setActive(i)} sx={{ cursor: "pointer" }} optional={<Typography variant="caption">{s.summary}</Typography>}>
                  {translate(`app.setup.${s.key}.title`)}{" "}
                  <Chip size="small" sx={{ ml: 1 }} label={translate(s.done ? "app.setup.state_done" : "app.setup.state_left")} color={s.done ? "success" : "default"} variant="outlined" />
                </StepLabel>
                <StepContent>
                  <Collapse in={current === i} unmountOnExit>
                    {s.key === "divisions" ? (
                      officialLevels ? (
                        <DivisionsStep countyCode={settings.data!.countyCode} units={county.data!.units} onImported={refresh} />
                      ) : (
                        <Alert severity="info">{translate("app.setup.divisions.levels_differ")}</Alert>
                      )
                    ) : s.key === "boundaries" ? (
                      <CountStep help="app.setup.boundaries.help" count={withBoundary} more={false} to="/units/import" action="app.setup.boundaries.action" />
                    ) : s.key === "departments" ? (
                      <CountStep help="app.setup.departments.help" count={departments.data?.count ?? 0} more={!!departments.data?.more} to="/departments" action="app.setup.departments.action" />
                    ) : s.key === "categories" ? (
                      <CountStep help="app.setup.categories.help" count={categories.data?.count ?? 0} more={!!categories.data?.more} to="/categories" action="app.setup.categories.action" also={{ to: "/category-catalogue", label: "app.catalogue.open" }} />
                    ) : (
                      <CountStep help="app.setup.staff.help" count={staff.data?.count ?? 0} more={!!staff.data?.more} to="/users" action="app.setup.staff.action" />
                    )}
                  </Collapse>
                </StepContent>
              </Step>
            ))}
          </Stepper>
        </CardContent>
      </Card>
    </Box>
  );
}
