/**
 * Years without official holidays (`warnings` of GET /v1/calendar, from 1 November before the
 * year): a banner per year, and the one-file import of the State Council notice
 * (POST /v1/calendar/holidays, JSON `{year, holidays, workdays}` or CSV `date,type` with 休/班).
 */
import { useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Stack } from "@mui/material";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { useDataProvider, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";

export interface CalendarWarning {
  code: string;
  year: number;
  field?: string;
  message: string;
}

export const WARNINGS_KEY = ["wangge", "calendar", "warnings"];

/** The calendar's warnings (one small query, shared by the calendar page and the case page). */
export function useCalendarWarnings() {
  const dataProvider = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: WARNINGS_KEY,
    queryFn: async () => ((await dataProvider.getRaw<{ warnings?: CalendarWarning[] }>("/v1/calendar")).warnings ?? []) as CalendarWarning[],
  });
}

/** One banner per year without holiday data. */
export function HolidayWarnings({ warnings }: { warnings: CalendarWarning[] }) {
  const translate = useTranslate();
  return (
    <>
      {warnings.map((w) => (
        <Alert key={`${w.year}-${w.field ?? ""}`} severity="warning" data-testid={`calendar-warning-${w.year}`}>
          {translate("app.calendar_notice.missing", { year: w.year })}
        </Alert>
      ))}
    </>
  );
}

/** Banner(s) and, for writers, the import button; `onImported` reloads the calendar shown. */
export function HolidayNotice({ canWrite, onImported }: { canWrite: boolean; onImported: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const warnings = useCalendarWarnings();
  const importFile = useMutation({
    mutationFn: async (file: File) =>
      dataProvider.postFile<{ imported: { year: number; holidays: number; workdays: number } }>(
        "/v1/calendar/holidays",
        await file.text(),
        /\.csv$/i.test(file.name) || file.type === "text/csv" ? "text/csv" : "application/json",
      ),
    onSuccess: (out) => {
      notify("app.calendar_notice.imported", { type: "success", messageArgs: out.imported });
      void queryClient.invalidateQueries({ queryKey: WARNINGS_KEY });
      onImported();
    },
    onError: (error) => notifyError(notify, error),
  });
  return (
    <Stack spacing={1} data-testid="calendar-notice">
      <HolidayWarnings warnings={warnings.data ?? []} />
      {canWrite ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
          <input
            ref={input}
            type="file"
            accept=".json,.csv,application/json,text/csv"
            hidden
            data-testid="calendar-notice-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) importFile.mutate(file);
              e.target.value = "";
            }}
          />
          <Button variant="outlined" startIcon={<UploadFileIcon />} disabled={importFile.isPending} onClick={() => input.current?.click()} data-testid="calendar-notice-import">
            {translate("app.calendar_notice.import")}
          </Button>
          <span style={{ opacity: 0.7, fontSize: 13 }}>{translate("app.calendar_notice.help")}</span>
        </Stack>
      ) : null}
    </Stack>
  );
}
