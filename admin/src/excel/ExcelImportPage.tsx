/**
 * Import of a filled Excel template (`#/excel/staff|departments|categories`): the workbook goes to
 * `POST /v1/<list>/import.xlsx` (base64), the job is followed with a progress bar, rejected rows are
 * listed by Excel row and column with the reason in the console's language, and the corrected file
 * (`GET /v1/jobs/{id}/corrected.xlsx`, the workbook with an 错误 column) can be downloaded, fixed and
 * uploaded again. The job id stays in the URL, so a reload keeps following it.
 */
import { useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router-dom";
import {
  Alert,
  Box,
  Button as MuiButton,
  Card,
  CardContent,
  LinearProgress,
  Stack,
  Typography,
} from "@mui/material";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import DownloadIcon from "@mui/icons-material/Download";
import ArrowBackIcon from "@mui/icons-material/ArrowBack";
import { Title, useCanAccess, useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { isFinished } from "../units/importModel.ts";
import { JobErrors, JobHeading, useJob } from "../common/JobCard.tsx";
import { downloadWorkbook } from "./download.ts";
import { ActivationCodes } from "../activation/ActivationCodes.tsx";
import { correctedPath, errorRows, hintKeyOf, importPath, isExcelList, LIST_RESOURCE, MAX_XLSX_BYTES, templatePath, toBase64, type ExcelList } from "./model.ts";

function ExcelJob({ list, jobId }: { list: ExcelList; jobId: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { data: job, error } = useJob(jobId);
  if (error) return <Alert severity="error">{translate("app.excel.job_unreadable")}</Alert>;
  if (!job) return <LinearProgress />;
  const result = job.result as Record<string, number> | null;
  const rows = errorRows(job);
  const field = (key: string | undefined) => (key ? translate(`app.excel.columns.${list}.${key}`, { _: key }) : "");
  const reason = (r: (typeof rows)[number]) =>
    r.code
      ? translate(`app.excel.problems.${r.code}`, {
          _: r.reason,
          ...r.params,
          field: field(r.field ?? (r.params.field as string | undefined)),
          ...(r.code === "invalid" && r.field ? { hint: translate(`app.excel.hints.${hintKeyOf(r.field, list)}`, { _: String(r.params.hint ?? "") }) } : {}),
        })
      : r.reason;
  const downloadCorrected = async () => {
    try {
      await downloadWorkbook(correctedPath(job.id), `${job.id}-corrected.xlsx`, { lang: locale === "en" ? "en" : "zh" });
    } catch (e) {
      notifyError(notify, e);
    }
  };
  const color = job.status === "succeeded" ? (job.errorCount ? "warning" : "success") : job.status === "failed" ? "error" : "info";
  return (
    <Card variant="outlined" data-testid="excel-job" data-status={job.status}>
      <CardContent>
        <JobHeading job={job} title={translate("app.excel.job", { id: job.id })} progress={translate("app.excel.progress", { done: job.done, total: job.total || "?" })} color={color} prefix="excel" />
        {result ? (
          <Typography variant="body2" sx={{ mt: 1 }} data-testid="excel-result">
            {translate("app.excel.result", { created: result.created ?? 0, updated: result.updated ?? 0, unchanged: result.unchanged ?? 0, rejected: result.rejected ?? 0 })}
          </Typography>
        ) : null}
        {list === "staff" && (result?.activationCodes ?? 0) > 0 ? <ActivationCodes jobId={job.id} count={result!.activationCodes} /> : null}
        {isFinished(job) && job.errorCount > 0 ? (
          <JobErrors
            title={translate("app.excel.errors", { count: job.errorCount })}
            action={
              <MuiButton size="small" variant="contained" color="warning" startIcon={<DownloadIcon />} onClick={downloadCorrected} data-testid="excel-corrected">
                {translate("app.excel.download_corrected")}
              </MuiButton>
            }
            note={
              <Alert severity="info" sx={{ mb: 1 }}>
                {translate("app.excel.fix_hint")}
              </Alert>
            }
            columns={[
              { label: translate("app.excel.row"), width: 100 },
              { label: translate("app.excel.column"), width: 160 },
              { label: translate("app.excel.reason") },
            ]}
            rows={rows.map((r, i) => ({ key: `${r.line}-${i}`, testId: `excel-error-${r.sheet ? `${r.sheet}-` : ""}${r.line}`, cells: [r.line ? (r.sheet ? `${r.sheet} · ${r.line}` : r.line) : "—", r.column ? `${r.column} · ${field(r.field)}` : "—", reason(r)] }))}
            testId="excel-errors"
            more={job.errorCount > job.errors.length ? translate("app.excel.more_errors", { shown: job.errors.length, count: job.errorCount }) : undefined}
          />
        ) : null}
      </CardContent>
    </Card>
  );
}

export default function ExcelImportPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { list: param } = useParams();
  const list: ExcelList = isExcelList(param) ? param : "staff";
  const { canAccess, isPending } = useCanAccess({ resource: LIST_RESOURCE[list], action: "create" });
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job");
  const [file, setFile] = useState<File | undefined>();
  const [busy, setBusy] = useState(false);
  if (!isPending && !canAccess) return <Alert severity="warning">{translate("ra.page.access_denied")}</Alert>;

  const start = async () => {
    if (!file) return;
    if (file.size > MAX_XLSX_BYTES) {
      notify("app.excel.too_large", { type: "error" });
      return;
    }
    setBusy(true);
    try {
      const content = toBase64(new Uint8Array(await file.arrayBuffer()));
      const out = await dataProvider.postRaw<{ jobId: string }>(importPath(list), { fileName: file.name, content });
      setParams({ job: out.jobId });
      notify("app.excel.started", { type: "info" });
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 960 }} data-testid="excel-import-page">
      <Title title={translate("app.excel.title", { list: translate(`app.excel.lists.${list}`) })} />
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="h6" sx={{ mb: 1 }}>
            {translate("app.excel.title", { list: translate(`app.excel.lists.${list}`) })}
          </Typography>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate(`app.excel.help.${list}`)}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate("app.excel.help_common")}
          </Typography>
          <Stack spacing={2}>
            <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ alignItems: { sm: "center" } }}>
              <MuiButton variant="text" startIcon={<DownloadIcon />} onClick={() => void downloadWorkbook(templatePath(list), `${list}-template.xlsx`).catch((e) => notifyError(notify, e))} data-testid="excel-page-template">
                {translate("app.excel.template")}
              </MuiButton>
              <MuiButton component="label" variant="outlined" startIcon={<UploadFileIcon />}>
                {translate("app.excel.choose_file")}
                <input
                  type="file"
                  hidden
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  data-testid="excel-file"
                  onChange={(e) => setFile(e.target.files?.[0])}
                />
              </MuiButton>
              <Typography variant="body2" data-testid="excel-file-name" data-user-text>
                {file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KiB` : translate("app.excel.no_file")}
              </Typography>
            </Stack>
            <Stack direction="row" spacing={2}>
              <MuiButton variant="contained" disabled={!file || busy} onClick={start} data-testid="excel-start">
                {translate("app.excel.start")}
              </MuiButton>
              <MuiButton startIcon={<ArrowBackIcon />} onClick={() => navigate(`/${LIST_RESOURCE[list]}`)}>
                {translate(`app.excel.back.${list}`)}
              </MuiButton>
            </Stack>
            {busy ? <LinearProgress /> : null}
          </Stack>
        </CardContent>
      </Card>
      {jobId ? <ExcelJob key={jobId} list={list} jobId={jobId} /> : null}
    </Box>
  );
}
