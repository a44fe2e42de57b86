/**
 * Bulk import of units (`POST /v1/units/import?format=geojson|csv&mode=all|partial`, the file as
 * the body; files over 7 MiB go through `POST /v1/units/import-uploads` and a presigned PUT).
 * The job is then polled (`GET /v1/jobs/{id}`) with a progress bar; rejected rows are listed and
 * the full error report (`GET /v1/jobs/{id}/errors.csv`) can be downloaded. The job id stays in
 * the URL, so a reload keeps following it.
 */
import { saveBlob } from "../common/saveBlob.ts";
import { lazy, Suspense, useEffect, useState } from "react";
import { useSearchParams } from "react-router-dom";
import {
  Alert,
  Box,
  Button as MuiButton,
  Card,
  CardContent,
  FormControl,
  FormControlLabel,
  FormLabel,
  LinearProgress,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import DownloadIcon from "@mui/icons-material/Download";
import { Title, useCanAccess, useDataProvider, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { TopologyReport } from "./TopologyReport.tsx";
import { JobErrors, JobHeading, useJob } from "../common/JobCard.tsx";
import type { Boundary } from "../../../core/geo/schema.ts";

const MapView = lazy(() => import("../map/MapView.tsx"));
/** Shapes drawn in the preview (a county's micro-grids fit; the canvas renderer draws them at once). */
const PREVIEW_MAX = 8000;
import type { TopologyFinding } from "../../../core/unit/import-topology.ts";
import { notifyError } from "../common/notifyError.ts";
import { errorInfo } from "../errors.ts";
import { REQUIRED_KEYS, SHAPEFILE_KEYS, usualAttribute, type ShapefileKey } from "../../../core/unit/shapefile-fields.ts";
import { errorReportCsv, formatOf, IMPORT_CONTENT_TYPES, isFinished, type ImportFormat, type ImportMode } from "./importModel.ts";

interface FileProblem {
  code: string;
  line?: number;
  column?: number;
  near?: string;
  reason: string;
  params: Record<string, string | number>;
}

/** A 400 whose details name a file problem (core/unit/file-errors.ts): what and where. */
function fileProblemOf(e: unknown): FileProblem | undefined {
  const info = errorInfo(e);
  const d = info?.details as { problem?: string; line?: number; column?: number; near?: string; syntax?: string; found?: string; missing?: string[] } | null | undefined;
  if (!d?.problem) return undefined;
  const params: Record<string, string> = {};
  if (d.syntax) params.syntax = d.syntax;
  if (d.found) params.found = d.found;
  if (d.missing) params.missing = d.missing.join(", ");
  return { code: d.problem, line: d.line, column: d.column, near: d.near, reason: info?.serverMessage ?? "", params };
}

/** A file error's parameters in the console's language (a JSON syntax code becomes its phrase). */
const fileErrorParams = (params: Record<string, string | number> | undefined, translate: (k: string, o?: Record<string, unknown>) => string) => {
  const out: Record<string, string | number> = { ...(params ?? {}) };
  if (typeof out.syntax === "string") out.syntax = translate(`app.import.file.syntax.${out.syntax}`, { _: out.syntax });
  return out;
};

/** Larger files go through a presigned upload (the route accepts 8 MiB bodies). */
const INLINE_MAX = 7 * 1024 * 1024;

/** A CSV text saved as a file, with the byte-order mark spreadsheet programs need to read UTF-8. */
const download = (name: string, text: string) => saveBlob(name, new Blob(["\uFEFF", text], { type: "text/csv;charset=utf-8" }));

/** A unit import job's progress, result and errors; `onFinished` once it ends (the first-run guide refreshes its counts). */
/** After a check (`mode=check`): import the same file with the accepted findings. */
interface CheckedImport {
  canImport: boolean;
  busy: boolean;
  onImport: (accept: string[]) => void;
}

export const JobProgress = ({ jobId, onFinished, checked }: { jobId: string; onFinished?: () => void; checked?: CheckedImport }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const { data: job, error } = useJob(jobId);
  const finished = !!job && isFinished(job);
  useEffect(() => {
    if (finished) onFinished?.();
  }, [finished]); // eslint-disable-line react-hooks/exhaustive-deps
  if (error) return <Alert severity="error">{translate("app.import.job_unreadable")}</Alert>;
  if (!job) return <LinearProgress />;
  const result = job.result as Record<string, number> | null;
  const downloadReport = async () => {
    try {
      download(`${job.id}-errors.csv`, await dataProvider.getText(`/v1/jobs/${encodeURIComponent(job.id)}/errors.csv`));
    } catch (e) {
      // the report endpoint failed: offer what the job itself carries
      if (job.errors.length) download(`${job.id}-errors.csv`, errorReportCsv(job.errors));
      else notifyError(notify, e);
    }
  };
  const color = job.status === "succeeded" ? "success" : job.status === "failed" ? "error" : "info";
  return (
    <Card variant="outlined" data-testid="import-job" data-status={job.status}>
      <CardContent>
        <JobHeading job={job} title={translate("app.import.job", { id: job.id })} progress={translate("app.import.progress", { done: job.done, total: job.total || "?" })} color={color} prefix="import" />
        {result && (result as { checked?: boolean }).checked ? (
          <TopologyReport
            findings={(result as unknown as { topology: TopologyFinding[] }).topology}
            count={(result as unknown as { topologyCount: number }).topologyCount}
            canImport={checked?.canImport ?? false}
            busy={checked?.busy ?? false}
            onImport={(accept) => checked?.onImport(accept)}
          />
        ) : result ? (
          <Typography variant="body2" sx={{ mt: 1 }} data-testid="import-result">
            {translate("app.import.result", {
              created: result.created ?? 0,
              updated: result.updated ?? 0,
              unchanged: result.unchanged ?? 0,
              rejected: result.rejected ?? job.errorCount ?? 0,
            })}
          </Typography>
        ) : null}
        {job.status === "failed" && job.errorCount > 0 ? (
          <Alert severity="warning" sx={{ mt: 1 }}>
            {translate("app.import.nothing_written")}
          </Alert>
        ) : null}
        {job.errorCount > 0 ? (
          <JobErrors
            title={translate("app.import.errors", { count: job.errorCount })}
            action={
              <MuiButton size="small" startIcon={<DownloadIcon />} onClick={downloadReport} data-testid="import-error-report">
                {translate("app.import.download_errors")}
              </MuiButton>
            }
            columns={[{ label: translate("app.import.line"), width: 80 }, { label: translate("app.import.reason") }]}
            rows={job.errors.map((e, i) => ({
              key: `${e.line}-${i}`,
              testId: e.code ? `import-file-error-${e.code}` : undefined,
              cells: [
                e.column ? translate("app.import.file.at", { line: e.line, column: e.column }) : e.line,
                e.code ? translate(`app.import.file.${e.code}`, { _: e.reason, ...fileErrorParams(e.params, translate) }) : e.reason,
              ],
            }))}
            testId="import-errors"
            more={job.errorCount > job.errors.length ? translate("app.import.more_errors", { shown: job.errors.length, count: job.errorCount }) : undefined}
          />
        ) : null}
      </CardContent>
    </Card>
  );
};

export default function ImportPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { canAccess, isPending } = useCanAccess({ resource: "units", action: "import" });
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job");
  const [file, setFile] = useState<File | undefined>();
  const [format, setFormat] = useState<ImportFormat>("geojson");
  const [mode, setMode] = useState<ImportMode>("all");
  const [busy, setBusy] = useState(false);
  /** the file could not be read at all (a 400 naming the problem, line and column) */
  const [fileProblem, setFileProblem] = useState<FileProblem | undefined>();

  if (!isPending && !canAccess) return <Alert severity="warning">{translate("ra.page.access_denied")}</Alert>;

  /** a Shapefile's attribute names (read from the zip's .dbf in the browser) and which holds which field */
  const [attributes, setAttributes] = useState<string[] | undefined>();
  const [fields, setFields] = useState<Partial<Record<ShapefileKey, string>>>({});
  /** the Shapefile's shapes, reprojected by its .prj in the browser: a look at the file before anything is sent */
  const [preview, setPreview] = useState<{ crs: string; count: number; features: { record: number; properties: Record<string, unknown>; boundary: Boundary }[] } | undefined>();
  const choose = async (f: File | undefined) => {
    setFile(f);
    setAttributes(undefined);
    setPreview(undefined);
    setFileProblem(undefined);
    const next = f ? (formatOf(f.name, f.type) ?? format) : format;
    if (f) setFormat(next);
    if (!f || next !== "shapefile") return;
    try {
      const { layerFiles, dbfEncoding, dbfFields } = await import("../../../core/geo/shapefile.ts");
      const layer = layerFiles(new Uint8Array(await f.arrayBuffer()));
      const names = dbfFields(layer.dbf, dbfEncoding(layer.dbf, layer.cpg));
      setAttributes(names);
      setFields(Object.fromEntries(SHAPEFILE_KEYS.map((k) => [k, usualAttribute(names, k)]).filter(([, v]) => v)));
      const { readShapefileZip } = await import("../../../core/geo/shapefile.ts");
      const read = await readShapefileZip(new Uint8Array(await f.arrayBuffer()));
      const polygons = read.features.filter((x) => x.geometry && (x.geometry.type === "Polygon" || x.geometry.type === "MultiPolygon"));
      setPreview({ crs: read.crs, count: polygons.length, features: polygons.slice(0, PREVIEW_MAX).map((x) => ({ record: x.record, properties: x.properties, boundary: x.geometry as unknown as Boundary })) });
    } catch (e) {
      const details = (e as { details?: { problem?: string; projection?: string } }).details;
      setFileProblem({ code: details?.problem ?? "not_zip", reason: (e as Error).message, params: details?.projection ? { projection: details.projection } : {} });
    }
  };
  const unmapped = format === "shapefile" && (!attributes || REQUIRED_KEYS.some((k) => !fields[k]));

  const start = async (opts: { check?: boolean; accept?: string[] } = {}) => {
    if (!file) return;
    const asked = opts.check ? "check" : mode;
    const accept = opts.accept?.length ? opts.accept : undefined;
    setBusy(true);
    setFileProblem(undefined);
    try {
      const contentType = IMPORT_CONTENT_TYPES[format];
      let out: { jobId: string };
      if (file.size <= INLINE_MAX && format !== "shapefile") {
        out = await dataProvider.postFile("/v1/units/import", file, contentType, { format, mode: asked, ...(accept ? { accept: accept.join(",") } : {}) });
      } else {
        const up = await dataProvider.postRaw<{ uploadKey: string; uploadUrl: string; method?: string; headers?: Record<string, string> }>("/v1/units/import-uploads", {
          contentType: contentType.split(";")[0],
          size: file.size,
        });
        const put = await fetch(up.uploadUrl, { method: up.method ?? "PUT", headers: up.headers, body: file });
        if (!put.ok) throw new Error("app.upload.failed");
        out = await dataProvider.postRaw("/v1/units/import", { uploadKey: up.uploadKey, format, mode: asked, ...(accept ? { accept } : {}), ...(format === "shapefile" ? { fields } : {}) });
      }
      setParams({ job: out.jobId });
      notify("app.import.started", { type: "info" });
    } catch (e) {
      const problem = fileProblemOf(e);
      if (problem) setFileProblem(problem);
      else notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 960 }} data-testid="import-page">
      <Title title="app.import.title" />
      {fileProblem ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid={`import-file-error-${fileProblem.code}`}>
          {translate(fileProblem.line ? "app.import.file.where" : "app.import.file.what", {
            at: translate("app.import.file.at", { line: fileProblem.line ?? 1, column: fileProblem.column ?? 1 }),
            what: translate(`app.import.file.${fileProblem.code}`, { _: fileProblem.reason, ...fileErrorParams(fileProblem.params, translate) }),
          })}
          {fileProblem.near ? (
            <Box component="code" sx={{ display: "block", mt: 0.5, whiteSpace: "pre" }}>
              {fileProblem.near}
            </Box>
          ) : null}
        </Alert>
      ) : null}
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate("app.import.help")}
          </Typography>
          <Stack spacing={2}>
            <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ alignItems: { sm: "center" } }}>
              <MuiButton component="label" variant="outlined" startIcon={<UploadFileIcon />}>
                {translate("app.import.choose_file")}
                <input type="file" hidden accept=".geojson,.json,.csv,.zip,application/geo+json,application/json,text/csv,application/zip" data-testid="import-file" onChange={(e) => void choose(e.target.files?.[0])} />
              </MuiButton>
              <Typography variant="body2" data-testid="import-file-name">
                {file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KiB` : translate("app.import.no_file")}
              </Typography>
            </Stack>
            <TextField select label={translate("app.import.format")} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)} sx={{ maxWidth: 240 }} size="small">
              <MenuItem value="geojson">GeoJSON</MenuItem>
              <MenuItem value="csv">CSV</MenuItem>
              <MenuItem value="shapefile">{translate("app.import.shapefile.format")}</MenuItem>
            </TextField>
            {format === "shapefile" && attributes ? (
              <Box data-testid="shapefile-fields">
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {translate("app.import.shapefile.map", { attributes: attributes.join("、") })}
                </Typography>
                <Stack direction="row" sx={{ gap: 2, flexWrap: "wrap" }}>
                  {SHAPEFILE_KEYS.map((k) => (
                    <TextField
                      key={k}
                      select
                      size="small"
                      sx={{ minWidth: 160 }}
                      required={REQUIRED_KEYS.includes(k)}
                      label={translate(`app.import.shapefile.keys.${k}`)}
                      value={fields[k] ?? ""}
                      onChange={(e) => setFields({ ...fields, [k]: e.target.value || undefined })}
                      slotProps={{ htmlInput: { "data-testid": `shapefile-field-${k}` } }}
                    >
                      <MenuItem value="">{translate("app.import.shapefile.none")}</MenuItem>
                      {attributes.map((a) => (
                        <MenuItem key={a} value={a} data-user-text>
                          {a}
                        </MenuItem>
                      ))}
                    </TextField>
                  ))}
                </Stack>
              </Box>
            ) : null}
            {format === "shapefile" && preview ? (
              <Box data-testid="shapefile-preview" data-count={preview.count}>
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {translate("app.import.shapefile.preview", { count: preview.count })}
                  {preview.count > PREVIEW_MAX ? translate("app.import.shapefile.preview_more", { shown: PREVIEW_MAX }) : ""}
                </Typography>
                <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 1 }}>
                  {translate("app.import.shapefile.crs")}
                  <span data-user-text>{preview.crs}</span>
                </Typography>
                <Suspense fallback={null}>
                  <MapView
                    height={300}
                    data-testid="shapefile-preview-map"
                    shapes={preview.features.map((x) => ({ id: String(x.record), boundary: x.boundary, label: [fields.code, fields.name].map((k) => (k ? String(x.properties[k] ?? "") : "")).filter(Boolean).join(" ") || `#${x.record}` }))}
                  />
                </Suspense>
              </Box>
            ) : null}
            <FormControl>
              <FormLabel>{translate("app.import.mode")}</FormLabel>
              <RadioGroup value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
                <FormControlLabel value="all" control={<Radio size="small" />} label={translate("app.import.mode_all")} />
                <FormControlLabel value="partial" control={<Radio size="small" />} label={translate("app.import.mode_partial")} />
              </RadioGroup>
            </FormControl>
            <Box>
              <Stack direction="row" spacing={2}>
                <MuiButton variant="outlined" disabled={!file || busy || unmapped} onClick={() => void start({ check: true })} data-testid="import-check">
                  {translate("app.import.topology.check")}
                </MuiButton>
                <MuiButton variant="contained" disabled={!file || busy || unmapped} onClick={() => void start()} data-testid="import-start">
                  {translate("app.import.start")}
                </MuiButton>
              </Stack>
            </Box>
            {busy ? <LinearProgress /> : null}
          </Stack>
        </CardContent>
      </Card>
      {jobId ? <JobProgress key={jobId} jobId={jobId} checked={{ canImport: !!file && !unmapped, busy, onImport: (accept) => void start({ accept }) }} /> : null}
    </Box>
  );
}
