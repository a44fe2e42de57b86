/**
 * Operations (运行状况): every queue's depth and dead letters with the consumer's last error
 * (`GET /v1/ops/queues`), a button that sends a queue's dead letters back for processing
 * (`POST /v1/ops/queues/{queue}/redrive`, audited; holders of ops:redrive), and the background
 * jobs with their progress: imports (`/v1/jobs`), exports (`/v1/exports`), appraisal runs
 * (`/v1/appraisals/runs`). Refreshed every 10 s.
 */
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from "@mui/material";
import ReplayIcon from "@mui/icons-material/Replay";
import { Confirm, Title, useLocaleState, useNotify, usePermissions, useTranslate } from "react-admin";
import { intlLocale } from "../i18n/index.ts";
import { client, ok, type Answer } from "../api/client.ts";
import { notifyError } from "../common/notifyError.ts";

/** One queue as `GET /v1/ops/queues` answers it. */
type QueueRow = Answer<"/v1/ops/queues", "get">["items"][number];
interface JobRow {
  id: string;
  kind: string;
  /** what the job works on, already in the console's language (an export's dataset) */
  detail?: string;
  status: string;
  total?: number;
  done?: number;
  createdAt?: string;
}

const REFRESH = 10_000;

const Progress = ({ done, total }: { done?: number; total?: number }) => {
  if (!total) return <>—</>;
  const pct = Math.min(100, Math.round(((done ?? 0) / total) * 100));
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: "center", minWidth: 160 }}>
      <LinearProgress variant="determinate" value={pct} sx={{ flex: 1, height: 8, borderRadius: 1 }} />
      <Typography variant="caption">
        {done ?? 0}/{total}
      </Typography>
    </Stack>
  );
};

const QueuesCard = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { permissions } = usePermissions<string[]>();
  const mayRedrive = !!permissions?.includes("ops:redrive");
  const [asking, setAsking] = useState<QueueRow | null>(null);
  const [busy, setBusy] = useState(false);
  const { data, isError } = useQuery({
    queryKey: ["wangge", "ops", "queues"],
    queryFn: async () => ok(await client.GET("/v1/ops/queues")),
    refetchInterval: REFRESH,
  });
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "short", timeStyle: "medium", hourCycle: "h23" });
  const redrive = async (row: QueueRow) => {
    setBusy(true);
    try {
      const out = ok(await client.POST("/v1/ops/queues/{queue}/redrive", { params: { path: { queue: row.queue } }, body: {} }));
      notify("app.ops.redriven", { type: "success", messageArgs: { smart_count: out.moved } });
      await queryClient.invalidateQueries({ queryKey: ["wangge", "ops"] });
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };
  return (
    <Card data-testid="ops-queues">
      <CardHeader title={translate("app.ops.queues")} subheader={translate("app.ops.refreshed")} />
      <CardContent>
        {isError ? <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert> : null}
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate("app.ops.queue")}</TableCell>
              <TableCell align="right">{translate("app.ops.visible")}</TableCell>
              <TableCell align="right">{translate("app.ops.in_flight")}</TableCell>
              <TableCell align="right">{translate("app.ops.delayed")}</TableCell>
              <TableCell align="right">{translate("app.ops.dead_letters")}</TableCell>
              <TableCell align="right">{translate("app.ops.failures")}</TableCell>
              <TableCell>{translate("app.ops.last_error")}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(data?.items ?? []).map((q) => (
              <TableRow key={q.queue} data-testid={`queue-${q.queue}`} data-dead={q.deadLetters ?? 0}>
                <TableCell>
                  {/* the queue's technical name (as in AWS) on hover: the page itself stays in the reader's language */}
                  <Tooltip title={q.queue}>
                    <Typography variant="body2" data-queue={q.queue}>
                      {translate(`app.ops.names.${q.queue}`, { _: q.queue })}
                    </Typography>
                  </Tooltip>
                </TableCell>
                <TableCell align="right">{q.main?.visible ?? "—"}</TableCell>
                <TableCell align="right">{q.main?.inFlight ?? "—"}</TableCell>
                <TableCell align="right">{q.main?.delayed ?? "—"}</TableCell>
                <TableCell align="right">
                  {q.deadLetters ? <Chip size="small" color="error" label={q.deadLetters} data-testid={`dead-${q.queue}`} /> : (q.deadLetters ?? "—")}
                </TableCell>
                <TableCell align="right">{q.failures}</TableCell>
                <TableCell sx={{ maxWidth: 360 }}>
                  {q.lastError ? (
                    <>
                      <Typography variant="body2" sx={{ fontFamily: "monospace", wordBreak: "break-word" }}>
                        {q.lastError.message}
                      </Typography>
                      <Typography variant="caption" color="text.secondary">
                        {q.lastError.at ? fmt.format(new Date(q.lastError.at)) : ""}
                      </Typography>
                    </>
                  ) : (
                    translate("app.ops.none")
                  )}
                </TableCell>
                <TableCell>
                  {mayRedrive && q.deadLetters ? (
                    <Button size="small" variant="outlined" color="warning" startIcon={<ReplayIcon />} onClick={() => setAsking(q)} data-testid={`redrive-${q.queue}`}>
                      {translate("app.ops.redrive")}
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
      <Confirm
        isOpen={!!asking}
        loading={busy}
        title="app.ops.redrive"
        content={translate("app.ops.redrive_confirm", { queue: asking ? translate(`app.ops.names.${asking.queue}`, { _: asking.queue }) : "", smart_count: asking?.deadLetters ?? 0 })}
        onConfirm={() => asking && redrive(asking)}
        onClose={() => setAsking(null)}
      />
    </Card>
  );
};

/** The jobs of one source, newest first (a source the caller may not read is left out). */
function useJobs(key: string, load: () => Promise<JobRow[]>, enabled: boolean) {
  return useQuery({ queryKey: ["wangge", "ops", "jobs", key], queryFn: load, enabled, refetchInterval: REFRESH, retry: false });
}

const JobsCard = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { permissions } = usePermissions<string[]>();
  const has = (p: string) => !!permissions?.includes(p);
  // the typed client: a field the API does not answer (an export's `state`, not `status`) is a type error here
  const imports = useJobs(
    "imports",
    async (): Promise<JobRow[]> =>
      ok(await client.GET("/v1/jobs", { params: { query: { limit: 20 } } })).items.map((j) => ({ id: j.id, kind: j.kind, status: j.status, total: j.total, done: j.done, createdAt: j.createdAt })),
    has("jobs:read"),
  );
  const exports = useJobs(
    "exports",
    async (): Promise<JobRow[]> =>
      ok(await client.GET("/v1/exports", { params: { query: { limit: 20 } } })).items.map((e) => ({
        id: e.id,
        kind: "export",
        detail: translate(`app.exports.datasets.${e.dataset}`, { _: e.dataset }),
        status: e.state,
        total: e.rowCount,
        done: e.rowCount,
        createdAt: e.createdAt,
      })),
    has("exports:request") || has("exports:approve"),
  );
  const runs = useJobs(
    "runs",
    async (): Promise<JobRow[]> =>
      ok(await client.GET("/v1/appraisals/runs", { params: { query: { limit: "20" } } })).items.map((r) => ({
        id: `${r.period}`,
        kind: "appraisal",
        status: r.locked ? "locked" : r.status,
        total: r.total,
        done: r.done,
        createdAt: r.startedAt,
      })),
    has("appraisals:read"),
  );
  const rows = [...(imports.data ?? []), ...(exports.data ?? []), ...(runs.data ?? [])].sort((a, b) => String(b.createdAt ?? "").localeCompare(String(a.createdAt ?? "")));
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "short", timeStyle: "short", hourCycle: "h23" });
  return (
    <Card data-testid="ops-jobs">
      <CardHeader title={translate("app.ops.jobs")} />
      <CardContent>
        {rows.length === 0 ? (
          <Typography color="text.secondary">{translate("app.ops.no_jobs")}</Typography>
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{translate("app.ops.job_kind")}</TableCell>
                <TableCell>{translate("app.ops.job_status")}</TableCell>
                <TableCell>{translate("app.ops.job_progress")}</TableCell>
                <TableCell>{translate("app.ops.job_created")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((j) => (
                <TableRow key={`${j.kind}-${j.id}`}>
                  <TableCell>
                    {translate(`app.ops.job_kinds.${j.kind}`, { _: j.kind })}
                    {j.detail ? ` · ${j.detail}` : ""} <Typography variant="caption" color="text.secondary" data-user-text>{j.id}</Typography>
                  </TableCell>
                  <TableCell>{translate(`app.ops.job_states.${j.status}`, { _: j.status })}</TableCell>
                  <TableCell>
                    <Progress done={j.done} total={j.total} />
                  </TableCell>
                  <TableCell>{j.createdAt ? fmt.format(new Date(j.createdAt)) : "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
};

export default function OpsPage() {
  return (
    <Box sx={{ mt: 2 }} data-testid="ops-page">
      <Title title="app.ops.title" />
      <Stack spacing={2}>
        <QueuesCard />
        <JobsCard />
      </Stack>
    </Box>
  );
}
