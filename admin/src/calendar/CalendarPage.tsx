/**
 * The county working calendar (custom route `/calendar`): time zone, working periods, regular
 * working weekdays, and a year grid for holidays and make-up working days. Saved with
 * `PUT /v1/calendar` and the version read; a stale version reloads.
 */
import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Box, Button, Card, CardContent, Checkbox, Chip, FormControlLabel, IconButton, Stack, TextField, Tooltip, Typography } from "@mui/material";
import ChevronLeftIcon from "@mui/icons-material/ChevronLeft";
import ChevronRightIcon from "@mui/icons-material/ChevronRight";
import DeleteIcon from "@mui/icons-material/Delete";
import AddIcon from "@mui/icons-material/Add";
import SaveIcon from "@mui/icons-material/Save";
import { AccessDenied, Authenticated, CanAccess, Loading, Title, useCanAccess, useDataProvider, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { errorInfo, type ErrorInfo } from "../errors.ts";
import { notifyError } from "../common/notifyError.ts";
import { calendarBody, changed, countInYear, normalize, toggleDay, type WorkingCalendar } from "./model.ts";
import { TimeField } from "./TimeField.tsx";
import { Legend, YearGrid } from "./YearGrid.tsx";
import { HolidayNotice } from "./HolidayNotice.tsx";

const QUERY_KEY = ["wangge", "calendar"];
const FIELD_LABELS: Record<string, string> = {
  timeZone: "app.calendar.time_zone",
  periods: "app.calendar.periods",
  weekdays: "app.calendar.weekdays",
  holidays: "app.calendar.legend_holiday",
  workdays: "app.calendar.legend_makeup",
};

function CalendarEditor() {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  const { canAccess: canWrite } = useCanAccess({ resource: "calendar", action: "edit" });
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [draft, setDraft] = useState<WorkingCalendar>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>();

  const query = useQuery({
    queryKey: QUERY_KEY,
    queryFn: async () => normalize(await dataProvider.getRaw<WorkingCalendar>("/v1/calendar")),
  });
  useEffect(() => {
    if (query.data) setDraft(query.data);
  }, [query.data]);

  const save = useMutation({
    mutationFn: (cal: WorkingCalendar) => dataProvider.putRaw<WorkingCalendar>("/v1/calendar", calendarBody(cal)),
    onSuccess: (saved) => {
      setFieldErrors(undefined);
      queryClient.setQueryData(QUERY_KEY, normalize(saved));
      notify("app.calendar.saved", { type: "success" });
    },
    onError: (error) => {
      const info: ErrorInfo | undefined = errorInfo(error);
      setFieldErrors(info?.errors);
      notifyError(notify, error);
      if (info?.code === "stale") void query.refetch();
    },
  });

  if (query.isPending) return <Loading />;
  if (query.isError || !draft) {
    return (
      <Alert severity="error" action={<Button onClick={() => query.refetch()}>{translate("app.calendar.reload")}</Button>}>
        {translate((query.error as Error | null)?.message ?? "ra.notification.http_error", { _: (query.error as Error | null)?.message })}
      </Alert>
    );
  }

  const edit = (next: WorkingCalendar) => canWrite && setDraft(next);
  const dirty = changed(query.data, draft);
  const fieldLabel = (path: string) => {
    const [head, ...rest] = path.split(".");
    return [translate(FIELD_LABELS[head] ?? head, { _: head }), ...rest.map((p) => (/^\d+$/.test(p) ? `#${Number(p) + 1}` : p))].join(" ");
  };

  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="calendar-page">
      {!canWrite ? <Alert severity="info">{translate("app.calendar.read_only")}</Alert> : null}
      <HolidayNotice canWrite={!!canWrite} onImported={() => void query.refetch()} />
      {fieldErrors ? (
        <Alert severity="error" data-testid="calendar-errors">
          {translate("app.calendar.errors")}
          <ul style={{ margin: 0 }}>
            {Object.entries(fieldErrors).map(([path, message]) => (
              <li key={path}>
                {translate("app.calendar.field_error", { field: fieldLabel(path), message: translate(message, { _: message }) })}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <Card>
        <CardContent>
          <Stack spacing={2}>
            <TextField
              label={translate("app.calendar.time_zone")}
              value={draft.timeZone}
              onChange={(e) => edit({ ...draft, timeZone: e.target.value })}
              disabled={!canWrite}
              size="small"
              sx={{ maxWidth: 320 }}
              slotProps={{ htmlInput: { "data-testid": "calendar-timezone" } }}
            />

            <Box>
              <Typography variant="subtitle1">{translate("app.calendar.periods")}</Typography>
              <Stack spacing={1} sx={{ mt: 1 }}>
                {draft.periods.map((p, i) => (
                  <Stack key={i} direction="row" spacing={1} sx={{ alignItems: "center" }} data-testid={`calendar-period-${i}`}>
                    <TimeField
                      label={translate("app.calendar.period_start")}
                      value={p.start}
                      disabled={!canWrite}
                      onChange={(v) => edit({ ...draft, periods: draft.periods.map((q, j) => (j === i ? { ...q, start: v } : q)) })}
                      testId={`calendar-period-${i}-start`}
                    />
                    <TimeField
                      label={translate("app.calendar.period_end")}
                      value={p.end}
                      endOfDay
                      disabled={!canWrite}
                      onChange={(v) => edit({ ...draft, periods: draft.periods.map((q, j) => (j === i ? { ...q, end: v } : q)) })}
                      testId={`calendar-period-${i}-end`}
                    />
                    {canWrite ? (
                      <Tooltip title={translate("app.calendar.remove_period")}>
                        <span>
                          <IconButton
                            aria-label={translate("app.calendar.remove_period")}
                            disabled={draft.periods.length <= 1}
                            onClick={() => edit({ ...draft, periods: draft.periods.filter((_, j) => j !== i) })}
                          >
                            <DeleteIcon fontSize="small" />
                          </IconButton>
                        </span>
                      </Tooltip>
                    ) : null}
                  </Stack>
                ))}
                {canWrite && draft.periods.length < 4 ? (
                  <Box>
                    <Button
                      size="small"
                      startIcon={<AddIcon />}
                      onClick={() => edit({ ...draft, periods: [...draft.periods, { start: "13:30", end: "17:30" }] })}
                      data-testid="calendar-add-period"
                    >
                      {translate("app.calendar.add_period")}
                    </Button>
                  </Box>
                ) : null}
              </Stack>
            </Box>

            <Box>
              <Typography variant="subtitle1">{translate("app.calendar.weekdays")}</Typography>
              <Box sx={{ display: "flex", flexWrap: "wrap" }}>
                {[1, 2, 3, 4, 5, 6, 7].map((w) => (
                  <FormControlLabel
                    key={w}
                    label={translate(`app.weekdays.${w}`)}
                    control={
                      <Checkbox
                        checked={draft.weekdays.includes(w)}
                        disabled={!canWrite}
                        onChange={(e) =>
                          edit({ ...draft, weekdays: e.target.checked ? [...draft.weekdays, w].sort((a, b) => a - b) : draft.weekdays.filter((x) => x !== w) })
                        }
                        slotProps={{ input: { "data-testid": `calendar-weekday-${w}` } as object }}
                      />
                    }
                  />
                ))}
              </Box>
            </Box>
          </Stack>
        </CardContent>
      </Card>

      <Card>
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: 1, flexWrap: "wrap" }}>
            <IconButton aria-label={translate("app.calendar.previous_year")} onClick={() => setYear(year - 1)} data-testid="calendar-prev-year">
              <ChevronLeftIcon />
            </IconButton>
            <Typography variant="h6" data-testid="calendar-year">
              {translate("app.calendar.year", { year })}
            </Typography>
            <IconButton aria-label={translate("app.calendar.next_year")} onClick={() => setYear(year + 1)} data-testid="calendar-next-year">
              <ChevronRightIcon />
            </IconButton>
            <Typography variant="body2" color="text.secondary" sx={{ ml: 2 }}>
              {translate("app.calendar.counts", { year, holidays: countInYear(draft.holidays, year), workdays: countInYear(draft.workdays, year) })}
            </Typography>
          </Stack>
          <Stack spacing={1} sx={{ mb: 2 }}>
            <Legend />
            {canWrite ? (
              <Typography variant="body2" color="text.secondary">
                {translate("app.calendar.hint")}
              </Typography>
            ) : null}
          </Stack>
          <YearGrid year={year} calendar={draft} onToggle={canWrite ? (date) => setDraft((d) => (d ? toggleDay(d, date) : d)) : undefined} />
        </CardContent>
      </Card>

      {canWrite ? (
        <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
          <Button variant="contained" startIcon={<SaveIcon />} disabled={!dirty || save.isPending} onClick={() => save.mutate(draft)} data-testid="calendar-save">
            {translate("ra.action.save")}
          </Button>
          {dirty ? <Chip size="small" color="warning" label={translate("app.calendar.unsaved")} /> : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

export default function CalendarPage() {
  return (
    <Authenticated>
      <Title title="app.calendar.title" />
      <CanAccess resource="calendar" action="show" accessDenied={<AccessDenied />}>
        <CalendarEditor />
      </CanAccess>
    </Authenticated>
  );
}
