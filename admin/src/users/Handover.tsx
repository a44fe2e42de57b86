/**
 * Handover of a leaving staff member's work (人走机留): the "交接工作" dialog shows what the user
 * holds (`GET /v1/users/{id}/handover`), lets the admin pick a successor among the eligible users
 * (or the grids' leaders), starts the handover (`POST …/handover`, a job) and follows its progress
 * to the result. The deactivate button explains a refusal for open work and offers the handover.
 */
import { useEffect, useState } from "react";
import {
  Alert,
  Box,
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  InputLabel,
  LinearProgress,
  MenuItem,
  Select,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from "@mui/material";
import SwapHorizIcon from "@mui/icons-material/SwapHoriz";
import PersonOffIcon from "@mui/icons-material/PersonOff";
import { Button, useCanAccess, useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate, type RaRecord } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { errorInfo } from "../errors.ts";
import { notifyError } from "../common/notifyError.ts";

interface Preview {
  userId: string;
  active: boolean;
  counts: { assignments: number; taskUnits: number; cases: number; households: number };
  open: { assignments: number; taskUnits: number; cases: number };
  assignments: Array<{ role: string; unitId: string }>;
  successors: Array<{ id: string; username: string; displayName: string; roles: string[] }>;
  defaults: Array<{ unitId: string; userId: string | null; displayName: string | null }>;
  handover: { jobId: string; state: "running" | "done" } | null;
}

interface Job {
  id: string;
  status: string;
  total: number;
  done: number;
  errorCount: number;
  errors: Array<{ reason: string }>;
  result: { assignments?: number; taskUnits?: number } | null;
}

const DEFAULT = "__leaders__";

/** The dialog: what the user holds → successor → confirm → progress → result. */
export function HandoverDialog({ record, open, onClose }: { record: RaRecord; open: boolean; onClose: () => void }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [successor, setSuccessor] = useState<string>("");
  const [confirming, setConfirming] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setPreview(null);
    setJob(null);
    setConfirming(false);
    setProblem(null);
    setSuccessor("");
    dataProvider
      .getRaw<Preview>(`/v1/users/${encodeURIComponent(String(record.id))}/handover`)
      .then(async (p) => {
        setPreview(p);
        // a handover still running: follow it
        if (p.handover?.state === "running") setJob(await dataProvider.getRaw<Job>(`/v1/jobs/${p.handover.jobId}`));
      })
      .catch((e) => notifyError(notify, e));
  }, [open, record.id, dataProvider, notify]);

  // follow the job until it is finished
  useEffect(() => {
    if (!job || job.status === "succeeded" || job.status === "failed") return;
    const t = setTimeout(async () => {
      try {
        setJob(await dataProvider.getRaw<Job>(`/v1/jobs/${job.id}`));
      } catch (e) {
        notifyError(notify, e);
      }
    }, 500);
    return () => clearTimeout(t);
  }, [job, dataProvider, notify]);

  const start = async () => {
    setProblem(null);
    try {
      const body = successor && successor !== DEFAULT ? { successorId: successor } : {};
      const { data } = await dataProvider.act<{ jobId: string; job: Job }>("users", record.id, "handover", body);
      setJob({ ...data.job, id: data.jobId });
    } catch (e) {
      const info = errorInfo(e);
      const reason = (info?.details as { reason?: string } | undefined)?.reason;
      setProblem(reason ? translate(`app.handover.reasons.${reason}`, { _: info?.serverMessage ?? reason }) : (info?.serverMessage ?? String(e)));
      setConfirming(false);
    }
  };

  const close = () => {
    if (job) refresh();
    onClose();
  };

  const finished = job?.status === "succeeded" || job?.status === "failed";
  const nothing = preview && preview.counts.assignments + preview.counts.taskUnits === 0;
  const who = successor === DEFAULT ? translate("app.handover.to_leaders") : (preview?.successors.find((s) => s.id === successor)?.displayName ?? "");

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="user-handover-title">
      <DialogTitle id="user-handover-title">{translate("app.handover.title", { name: record.displayName ?? record.username })}</DialogTitle>
      <DialogContent>
        {!preview ? (
          <LinearProgress />
        ) : (
          <Box data-testid="handover-dialog">
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate("app.handover.intro")}
            </Typography>
            <Table size="small" data-testid="handover-counts">
              <TableBody>
                {(["assignments", "taskUnits", "cases", "households"] as const).map((k) => (
                  <TableRow key={k}>
                    <TableCell>{translate(`app.handover.kinds.${k}`)}</TableCell>
                    <TableCell align="right" data-testid={`handover-count-${k}`}>
                      {preview.counts[k]}
                    </TableCell>
                    <TableCell>
                      <Typography variant="caption" color="text.secondary">
                        {translate(k === "cases" || k === "households" ? "app.handover.follow" : "app.handover.move")}
                      </Typography>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {nothing && !job ? (
              <Alert severity="info" sx={{ mt: 2 }} data-testid="handover-nothing">
                {translate("app.handover.nothing")}
              </Alert>
            ) : null}
            {!job && !nothing ? (
              <FormControl fullWidth sx={{ mt: 2 }} size="small">
                <InputLabel id="handover-successor-label">{translate("app.handover.successor")}</InputLabel>
                <Select
                  labelId="handover-successor-label"
                  label={translate("app.handover.successor")}
                  value={successor}
                  onChange={(e) => {
                    setSuccessor(String(e.target.value));
                    setConfirming(false);
                  }}
                  data-testid="handover-successor"
                  disabled={confirming}
                >
                  {preview.successors.map((s) => (
                    <MenuItem key={s.id} value={s.id} data-testid={`handover-successor-${s.username}`}>
                      {translate("app.handover.successor_option", { name: s.displayName, username: s.username, roles: s.roles.map((r) => translate(`app.roles.${r}`)).join(translate("app.handover.list_separator")) })}
                    </MenuItem>
                  ))}
                  <MenuItem value={DEFAULT} data-testid="handover-successor-leaders" disabled={preview.defaults.some((d) => !d.userId)}>
                    {translate("app.handover.to_leaders")}
                    {preview.defaults.length ? `${translate("app.handover.colon")}${[...new Set(preview.defaults.map((d) => d.displayName ?? "—"))].join(translate("app.handover.list_separator"))}` : ""}
                  </MenuItem>
                </Select>
              </FormControl>
            ) : null}
            {confirming && !job ? (
              <Alert severity="warning" sx={{ mt: 2 }} data-testid="handover-confirm-text">
                {translate("app.handover.confirm", { name: record.displayName ?? record.username, successor: who, assignments: preview.counts.assignments, tasks: preview.counts.taskUnits })}
              </Alert>
            ) : null}
            {problem ? (
              <Alert severity="error" sx={{ mt: 2 }} data-testid="handover-problem">
                {problem}
              </Alert>
            ) : null}
            {job ? (
              <Box sx={{ mt: 2 }} data-testid="handover-progress">
                <Typography variant="body2">{translate(`app.handover.status.${job.status}`, { _: job.status })}</Typography>
                <LinearProgress variant={job.total ? "determinate" : "indeterminate"} value={job.total ? Math.min(100, (job.done / job.total) * 100) : 0} sx={{ my: 1 }} />
                <Typography variant="caption">
                  {job.done} / {job.total}
                </Typography>
                {finished && job.status === "succeeded" ? (
                  <Alert severity="success" sx={{ mt: 1 }} data-testid="handover-result">
                    {translate("app.handover.done", { assignments: job.result?.assignments ?? 0, tasks: job.result?.taskUnits ?? 0 })}
                  </Alert>
                ) : null}
                {finished && job.errorCount ? (
                  <Alert severity={job.status === "failed" ? "error" : "warning"} sx={{ mt: 1 }}>
                    {job.errors.map((e) => e.reason).join(translate("app.handover.list_separator"))}
                  </Alert>
                ) : null}
              </Box>
            ) : null}
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={close}>{translate(finished ? "ra.action.close" : "ra.action.cancel")}</MuiButton>
        {!job && !nothing && preview ? (
          confirming ? (
            <MuiButton variant="contained" color="warning" onClick={start} data-testid="handover-start">
              {translate("app.handover.start")}
            </MuiButton>
          ) : (
            <MuiButton variant="contained" disabled={!successor} onClick={() => setConfirming(true)} data-testid="handover-next">
              {translate("app.handover.next")}
            </MuiButton>
          )
        ) : null}
      </DialogActions>
    </Dialog>
  );
}

/** "交接工作" on the user's page (users:write). */
export const HandoverButton = () => {
  const record = useRecordContext();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: "users", action: "write", record });
  if (!record || !canAccess) return null;
  return (
    <>
      <Button label="app.handover.button" onClick={() => setOpen(true)} data-testid="user-handover">
        <SwapHorizIcon />
      </Button>
      <HandoverDialog record={record} open={open} onClose={() => setOpen(false)} />
    </>
  );
};

/**
 * "停用" on the user's page: deactivates (`PATCH active: false`); a refusal for open work is
 * explained with what is open, and the handover is offered.
 */
export const DeactivateButton = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [refusal, setRefusal] = useState<{ assignments: number; taskUnits: number; cases: number } | null>(null);
  const [handover, setHandover] = useState(false);
  const [asking, setAsking] = useState(false);
  const { canAccess } = useCanAccess({ resource: "users", action: "write", record });
  if (!record || !canAccess || record.active === false) return null;

  const deactivate = async () => {
    setAsking(false);
    try {
      await dataProvider.update("users", { id: record.id, data: { ...record, active: false }, previousData: record });
      notify("app.handover.deactivated", { type: "info" });
      refresh();
    } catch (e) {
      const details = errorInfo(e)?.details as { reason?: string; open?: { assignments: number; taskUnits: number; cases: number } } | undefined;
      if (details?.reason === "open_work" && details.open) setRefusal(details.open);
      else notifyError(notify, e);
    }
  };

  return (
    <>
      <Button label="app.handover.deactivate" onClick={() => setAsking(true)} data-testid="user-deactivate">
        <PersonOffIcon />
      </Button>
      <Dialog open={asking} onClose={() => setAsking(false)} maxWidth="xs" fullWidth>
        <DialogContent>{translate("app.handover.deactivate_confirm", { name: record.displayName ?? record.username })}</DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setAsking(false)}>{translate("ra.action.cancel")}</MuiButton>
          <MuiButton variant="contained" color="warning" onClick={deactivate} data-testid="user-deactivate-confirm">
            {translate("app.handover.deactivate")}
          </MuiButton>
        </DialogActions>
      </Dialog>
      <Dialog open={refusal !== null} onClose={() => setRefusal(null)} maxWidth="sm" fullWidth aria-labelledby="user-deactivate-refused-title">
        <DialogTitle id="user-deactivate-refused-title">{translate("app.handover.refused_title")}</DialogTitle>
        <DialogContent data-testid="user-deactivate-refused">
          <Typography variant="body2">{translate("app.handover.refused", { name: record.displayName ?? record.username })}</Typography>
          <ul>
            {refusal?.assignments ? <li>{translate("app.handover.open.assignments", { smart_count: refusal.assignments })}</li> : null}
            {refusal?.taskUnits ? <li>{translate("app.handover.open.taskUnits", { smart_count: refusal.taskUnits })}</li> : null}
            {refusal?.cases ? <li>{translate("app.handover.open.cases", { smart_count: refusal.cases })}</li> : null}
          </ul>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setRefusal(null)}>{translate("ra.action.cancel")}</MuiButton>
          <MuiButton
            variant="contained"
            onClick={() => {
              setRefusal(null);
              setHandover(true);
            }}
            data-testid="user-deactivate-handover"
          >
            {translate("app.handover.button")}
          </MuiButton>
        </DialogActions>
      </Dialog>
      <HandoverDialog record={record} open={handover} onClose={() => setHandover(false)} />
    </>
  );
};
