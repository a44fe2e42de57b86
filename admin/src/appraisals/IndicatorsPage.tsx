/**
 * 外部指标 (`/indicators?tab=definitions|import|values`): the county's own indicators (police
 * incidents, petitions, safety…) beside the built-in ones; a month's values imported from a CSV
 * or JSON file (or pasted), with every bad row in one table by line — month, unit, indicator and
 * value errors alike, in the console's language; the values per unit of a month.
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
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
  MenuItem,
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
import AddIcon from "@mui/icons-material/Add";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { Authenticated, Title, useCanAccess, useNotify, useTranslate } from "react-admin";
import { errorInfo } from "../errors.ts";
import { notifyError } from "../common/notifyError.ts";
import { ExportButton, MonthField, readAll, useApi, useIndicatorText } from "./common.tsx";
import { csvLines, importErrors, isMonth, monthOf, type ImportError } from "./model.ts";

type Definition = { key: string; name: string; unit: string; direction: string; min?: number; max?: number; description?: string; builtin: boolean; active: boolean; version: number };
type Values = { unitId: string; unitCode: string; unitPath: string; pathName?: string; values: Record<string, number> };

const DefinitionDialog = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const api = useApi();
  const qc = useQueryClient();
  const empty = { key: "", name: "", unit: "", direction: "lower_better", min: "", max: "", description: "" };
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      api.postRaw("/v1/indicator-definitions", {
        key: f.key.trim(),
        name: f.name.trim(),
        unit: f.unit.trim(),
        direction: f.direction,
        ...(f.min !== "" ? { min: Number(f.min) } : {}),
        ...(f.max !== "" ? { max: Number(f.max) } : {}),
        ...(f.description.trim() ? { description: f.description.trim() } : {}),
      }),
    onSuccess: () => {
      notify("app.appraisals.indicators.defined", { type: "success" });
      setF(empty);
      setErrors({});
      void qc.invalidateQueries({ queryKey: ["wangge", "indicator-definitions"] });
      onClose();
    },
    onError: (e) => {
      setErrors(errorInfo(e)?.errors ?? {});
      notifyError(notify, e);
    },
  });
  const field = (k: keyof typeof empty, extra: Record<string, unknown> = {}) => (
    <TextField
      size="small"
      label={translate(`app.appraisals.indicators.fields.${k}`)}
      value={f[k]}
      onChange={(e) => setF({ ...f, [k]: e.target.value })}
      error={!!errors[k]}
      helperText={errors[k] ? translate(errors[k], { _: errors[k] }) : translate(`app.appraisals.indicators.hints.${k}`, { _: "" })}
      slotProps={{ htmlInput: { name: k } }}
      {...extra}
    />
  );
  return (
    <Dialog open={open} onClose={onClose} data-testid="definition-dialog" fullWidth maxWidth="sm">
      <DialogTitle>{translate("app.appraisals.indicators.define")}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {field("key", { required: true })}
          {field("name", { required: true })}
          {field("unit", { required: true })}
          <TextField select size="small" label={translate("app.appraisals.indicators.fields.direction")} value={f.direction} onChange={(e) => setF({ ...f, direction: e.target.value })}>
            <MenuItem value="higher_better">{translate("app.appraisals.explain.higher_better")}</MenuItem>
            <MenuItem value="lower_better">{translate("app.appraisals.explain.lower_better")}</MenuItem>
          </TextField>
          <Stack direction="row" spacing={2}>
            {field("min", { type: "number" })}
            {field("max", { type: "number" })}
          </Stack>
          {field("description", { multiline: true })}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
        <Button variant="contained" disabled={!f.key || !f.name || !f.unit || create.isPending} onClick={() => create.mutate()} data-testid="definition-save">
          {translate("ra.action.save")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

const Definitions = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const api = useApi();
  const qc = useQueryClient();
  const { canAccess: canWrite } = useCanAccess({ resource: "indicators", action: "create" });
  const [open, setOpen] = useState(false);
  const [builtin, setBuiltin] = useState(false);
  const ind = useIndicatorText();
  const q = useQuery({ queryKey: ["wangge", "indicator-definitions", "all"], queryFn: () => api.getRaw<{ items: Definition[] }>("/v1/indicator-definitions") });
  const toggle = useMutation({
    mutationFn: (d: Definition) => fetchPatch(api, d),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["wangge", "indicator-definitions"] }),
    onError: (e) => notifyError(notify, e),
  });
  const items = (q.data?.items ?? []).filter((d) => builtin || !d.builtin);
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.appraisals.indicators.definitions_title")}
          </Typography>
          <Button size="small" onClick={() => setBuiltin(!builtin)}>
            {translate(builtin ? "app.appraisals.indicators.hide_builtin" : "app.appraisals.indicators.show_builtin")}
          </Button>
          {canWrite ? (
            <Button variant="contained" size="small" startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="define-indicator">
              {translate("app.appraisals.indicators.define")}
            </Button>
          ) : null}
        </Stack>
        {q.isLoading ? <LinearProgress /> : null}
        <Table size="small" data-testid="definitions-table">
          <TableHead>
            <TableRow>
              {["key", "name", "unit", "direction", "range", "status", ""].map((c) => (
                <TableCell key={c}>{c ? translate(`app.appraisals.indicators.col.${c}`) : ""}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((d) => (
              <TableRow key={d.key} data-testid="definition-row" data-key={d.key}>
                <TableCell sx={{ fontFamily: "monospace" }}>{d.key}</TableCell>
                <TableCell>{d.builtin ? ind.name(d.key, d.name) : d.name}</TableCell>
                <TableCell>{d.unit}</TableCell>
                <TableCell>{translate(`app.appraisals.explain.${d.direction}`)}</TableCell>
                <TableCell>
                  {d.min ?? "—"} – {d.max ?? "—"}
                </TableCell>
                <TableCell>
                  <Chip size="small" label={translate(d.builtin ? "app.appraisals.indicators.builtin" : d.active ? "app.appraisals.indicators.active" : "app.appraisals.indicators.inactive")} color={d.active && !d.builtin ? "success" : "default"} />
                </TableCell>
                <TableCell>
                  {canWrite && !d.builtin ? (
                    <Button size="small" onClick={() => toggle.mutate(d)}>
                      {translate(d.active ? "app.appraisals.indicators.retire" : "app.appraisals.indicators.reactivate")}
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {!q.isLoading && !items.length ? <Typography color="text.secondary">{translate("app.appraisals.indicators.none_defined")}</Typography> : null}
      </CardContent>
      <DefinitionDialog open={open} onClose={() => setOpen(false)} />
    </Card>
  );
};

/** PATCH through the data provider's update (sends only `active` and the version read). */
const fetchPatch = (api: ReturnType<typeof useApi>, d: Definition) => api.update("indicator-definitions", { id: d.key, data: { active: !d.active, version: d.version }, previousData: { id: d.key, active: d.active, version: d.version } });

const ImportPanel = ({ period, setPeriod }: { period: string; setPeriod: (p: string) => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const api = useApi();
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string>();
  const [errors, setErrors] = useState<ImportError[]>();
  const [result, setResult] = useState<{ units: number; values: number; periods: string[] }>();
  const isJson = text.trimStart().startsWith("{") || text.trimStart().startsWith("[");
  const lines = csvLines(text);
  const send = useMutation({
    mutationFn: () =>
      isJson
        ? api.postFile<{ units: number; values: number; periods: string[] }>("/v1/indicators", text, "application/json", { period })
        : api.postFile<{ units: number; values: number; periods: string[] }>("/v1/indicators", text, "text/csv; charset=utf-8", { period }),
    onSuccess: (r) => {
      setErrors(undefined);
      setResult(r);
      notify("app.appraisals.indicators.imported", { type: "success", messageArgs: { values: r.values, units: r.units } });
      void qc.invalidateQueries({ queryKey: ["wangge", "indicator-values"] });
    },
    onError: (e) => {
      setResult(undefined);
      const info = errorInfo(e);
      const fields = (info?.details as { fields?: { path: string; message: string }[] } | null)?.fields ?? [];
      setErrors(fields.length ? importErrors(fields) : [{ line: null, field: "", message: info?.serverMessage ?? "", key: "other", params: { message: info?.serverMessage ?? "" } }]);
      notifyError(notify, e);
    },
  });
  const example = `period,unit,key,value\r\n${period},350206001001001,police_incidents,3\r\n`;
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction={{ xs: "column", md: "row" }} spacing={2} sx={{ alignItems: { md: "center" }, mb: 2 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.appraisals.indicators.import_title")}
          </Typography>
          <MonthField value={period} onChange={setPeriod} label="app.appraisals.indicators.import_month" />
          <Button component="label" variant="outlined" startIcon={<UploadFileIcon />}>
            {translate("app.appraisals.indicators.choose_file")}
            <input
              hidden
              type="file"
              accept=".csv,.json,text/csv,application/json"
              data-testid="indicator-file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setFileName(file.name);
                setText(await file.text());
                setErrors(undefined);
                setResult(undefined);
                e.target.value = "";
              }}
            />
          </Button>
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate("app.appraisals.indicators.import_hint")}
        </Typography>
        <TextField
          multiline
          minRows={5}
          maxRows={14}
          fullWidth
          value={text}
          placeholder={example}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(undefined);
          }}
          slotProps={{ htmlInput: { "data-testid": "indicator-text", style: { fontFamily: "monospace", fontSize: 13 } } }}
          label={fileName ?? translate("app.appraisals.indicators.paste")}
        />
        <Stack direction="row" spacing={2} sx={{ mt: 1, alignItems: "center" }}>
          <Button variant="contained" disabled={!text.trim() || send.isPending} onClick={() => send.mutate()} data-testid="import-submit">
            {translate("app.appraisals.indicators.import")}
          </Button>
          <Typography variant="caption" color="text.secondary">
            {translate(isJson ? "app.appraisals.indicators.format_json" : "app.appraisals.indicators.format_csv")}
          </Typography>
        </Stack>
        {result ? (
          <Alert severity="success" sx={{ mt: 2 }} data-testid="import-ok">
            {translate("app.appraisals.indicators.imported", { values: result.values, units: result.units })}
          </Alert>
        ) : null}
        {errors ? (
          <Box sx={{ mt: 2 }} data-testid="import-errors">
            <Alert severity="error" sx={{ mb: 1 }}>
              {translate("app.appraisals.indicators.errors_title", { count: errors.length })}
            </Alert>
            <Table size="small">
              <TableHead>
                <TableRow>
                  {["line", "field", "problem", "content"].map((c) => (
                    <TableCell key={c}>{translate(`app.appraisals.indicators.col.${c}`)}</TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {errors.map((e, i) => (
                  <TableRow key={i} data-testid="import-error-row" data-line={e.line ?? ""} data-field={e.field}>
                    <TableCell>{e.line ?? "—"}</TableCell>
                    <TableCell>{e.field ? translate(`app.appraisals.indicators.columns.${e.field}`, { _: e.field }) : "—"}</TableCell>
                    <TableCell>{translate(`app.appraisals.indicators.problems.${e.key}`, e.params)}</TableCell>
                    <TableCell sx={{ fontFamily: "monospace", fontSize: 12 }}>{!isJson && e.line ? (lines[e.line - 1] ?? "") : ""}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
};

const ValuesTable = ({ period }: { period: string }) => {
  const translate = useTranslate();
  const api = useApi();
  const q = useQuery({ queryKey: ["wangge", "indicator-values", period], queryFn: () => readAll<Values>(api, "/v1/indicators", { period }, 20) });
  const defs = useQuery({ queryKey: ["wangge", "indicator-definitions", "external"], queryFn: () => api.getRaw<{ items: Definition[] }>("/v1/indicator-definitions", { builtin: "false" }) });
  const rows = q.data ?? [];
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))].sort();
  const name = (k: string) => defs.data?.items.find((d) => d.key === k)?.name ?? k;
  const header = [translate("app.appraisals.col.unit"), ...keys.map(name)];
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: "center", mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.appraisals.indicators.values_title", { period })}
          </Typography>
          <ExportButton testId="export-values" filename={`indicators-${period}.csv`} build={async () => ({ header, rows: rows.map((r) => [r.pathName ?? r.unitCode, ...keys.map((k) => r.values[k] ?? "")]) })} />
        </Stack>
        {q.isLoading ? <LinearProgress /> : null}
        <Table size="small" data-testid="values-table">
          <TableHead>
            <TableRow>
              {header.map((h) => (
                <TableCell key={h}>{h}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.unitId} data-testid="value-row">
                <TableCell>{r.pathName ?? r.unitCode}</TableCell>
                {keys.map((k) => (
                  <TableCell key={k}>{r.values[k] ?? "—"}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {!q.isLoading && !rows.length ? <Typography color="text.secondary">{translate("app.appraisals.indicators.no_values")}</Typography> : null}
      </CardContent>
    </Card>
  );
};

const TABS = ["definitions", "import", "values"] as const;

function IndicatorsScreen() {
  const translate = useTranslate();
  const [params, setParams] = useSearchParams();
  const { canAccess: canWrite } = useCanAccess({ resource: "indicators", action: "create" });
  const period = isMonth(params.get("period")) ? params.get("period")! : monthOf(new Date());
  const tabs = TABS.filter((t) => t !== "import" || canWrite);
  const tab = (tabs as readonly string[]).includes(params.get("tab") ?? "") ? params.get("tab")! : "definitions";
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }} data-testid="indicators-page">
      <Title title={translate("app.appraisals.indicators.title")} />
      <Stack direction="row" sx={{ alignItems: "center" }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {translate("app.appraisals.indicators.title")}
        </Typography>
        {tab === "values" ? <MonthField value={period} onChange={(v) => set("period", v)} /> : null}
      </Stack>
      <Tabs value={tab} onChange={(_, v) => set("tab", v)} sx={{ mb: 2 }}>
        {tabs.map((t) => (
          <Tab key={t} value={t} label={translate(`app.appraisals.indicators.tabs.${t}`)} data-testid={`tab-${t}`} />
        ))}
      </Tabs>
      {tab === "definitions" ? <Definitions /> : tab === "import" ? <ImportPanel period={period} setPeriod={(v) => set("period", v)} /> : <ValuesTable period={period} />}
    </Box>
  );
}

export default function IndicatorsPage() {
  return (
    <Authenticated>
      <IndicatorsScreen />
    </Authenticated>
  );
}
