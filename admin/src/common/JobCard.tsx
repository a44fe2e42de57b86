/**
 * The parts every import job screen shows (unit import, Excel imports): the job read every second
 * until it ends, its heading with a status chip and progress bar, and the table of rejected rows with
 * a download next to its title. Each screen keeps its own columns, texts and test ids.
 */
import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Box, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useDataProvider, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { isFinished, progressOf, type JobView } from "../units/importModel.ts";

/** The job, re-read every second until it has finished. */
export function useJob(jobId: string) {
  const dataProvider = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ["wangge", "job", jobId],
    queryFn: () => dataProvider.getRaw<JobView>(`/v1/jobs/${encodeURIComponent(jobId)}`),
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data) ? false : 1000),
    retry: 2,
  });
}

/** Title, status chip, progress bar and "done of total" line; test ids `<prefix>-status`, `<prefix>-progress`. */
export function JobHeading({ job, title, progress, color, prefix }: { job: JobView; title: string; progress: string; color: "success" | "warning" | "error" | "info"; prefix: string }) {
  const translate = useTranslate();
  const pct = progressOf(job);
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: 1 }}>
        <Typography variant="subtitle1">{title}</Typography>
        <Chip size="small" color={color} label={translate(`app.import.status.${job.status}`, { _: job.status })} data-testid={`${prefix}-status`} />
      </Stack>
      <LinearProgress variant={pct === undefined ? "indeterminate" : "determinate"} value={pct ?? 0} sx={{ height: 8, borderRadius: 4 }} data-testid={`${prefix}-progress`} />
      <Typography variant="body2" sx={{ mt: 1 }}>
        {progress}
      </Typography>
    </>
  );
}

export interface JobErrorRow {
  key: string;
  testId?: string;
  cells: ReactNode[];
}

/** The rejected rows: a title with an action (a download), an optional note, the table, and "n of m shown" when cut. */
export function JobErrors(props: {
  title: string;
  action: ReactNode;
  note?: ReactNode;
  columns: Array<{ label: string; width?: number }>;
  rows: JobErrorRow[];
  testId: string;
  /** shown under the table when the job carries fewer rows than it rejected */
  more?: string;
}) {
  return (
    <Box sx={{ mt: 2 }}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1} sx={{ alignItems: { sm: "center" }, mb: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {props.title}
        </Typography>
        {props.action}
      </Stack>
      {props.note}
      <Table size="small" data-testid={props.testId}>
        <TableHead>
          <TableRow>
            {props.columns.map((c) => (
              <TableCell key={c.label} sx={c.width ? { width: c.width } : undefined}>
                {c.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.rows.map((r) => (
            <TableRow key={r.key} data-testid={r.testId}>
              {r.cells.map((cell, i) => (
                <TableCell key={i}>{cell}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {props.more ? (
        <Typography variant="caption" color="text.secondary">
          {props.more}
        </Typography>
      ) : null}
    </Box>
  );
}
