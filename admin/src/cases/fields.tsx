/** Small views of a case: its state, flags, time left, owner. */
import { Chip, Stack, Tooltip, Typography } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";
import { OwnerName } from "../common/NameLabels.tsx";
import { useServerNow } from "../common/serverClock.ts";
import { DateTimeField } from "../common/fields.tsx";
import { timeLeft, type CaseRecord, type TimeLeft } from "./model.ts";

const STATE_COLORS: Record<string, "default" | "primary" | "secondary" | "success" | "warning" | "error" | "info"> = {
  reported: "warning",
  accepted: "info",
  claimable: "secondary",
  dispatched: "primary",
  in_progress: "primary",
  handled: "info",
  verified: "success",
  closed: "success",
  rejected: "default",
};

export const StateChip = ({ state, size = "small" }: { state?: string; size?: "small" | "medium" }) => {
  const translate = useTranslate();
  if (!state) return null;
  return <Chip size={size} color={STATE_COLORS[state] ?? "default"} label={translate(`app.case_states.${state}`, { _: state })} data-testid="case-state" data-state={state} />;
};

export const StateField = (_props: { source?: string; label?: string }) => {
  const record = useRecordContext<CaseRecord>();
  return <StateChip state={record?.state} />;
};

const FLAG_COLORS: Record<string, "error" | "warning" | "info" | "default"> = {
  overdue: "error",
  supervised: "warning",
  returned: "warning",
  escalated: "info",
  deferred: "default",
};

/** Urgent, overdue, supervised… as chips. */
export const FlagChips = ({ record }: { record?: Partial<CaseRecord> }) => {
  const translate = useTranslate();
  if (!record) return null;
  const flags = Object.entries(record.flags ?? {}).filter(([, on]) => on).map(([f]) => f);
  if (record.urgent) flags.unshift("urgent");
  if (record.pendingExtension) flags.push("pending_extension");
  if (!flags.length) return null;
  return (
    <Stack direction="row" sx={{ gap: 0.5, flexWrap: "wrap" }}>
      {flags.map((f) => (
        <Chip
          key={f}
          size="small"
          variant={f === "urgent" || f === "overdue" ? "filled" : "outlined"}
          color={f === "urgent" ? "error" : (FLAG_COLORS[f] ?? "default")}
          label={translate(`app.cases.flags.${f}`, { _: f })}
          data-testid={`flag-${f}`}
        />
      ))}
    </Stack>
  );
};

export const FlagsField = (_props: { label?: string }) => <FlagChips record={useRecordContext<CaseRecord>()} />;

/** "2 h 5 min" / "2 天 3 小时" in the console's language. */
export function useFormatDuration() {
  const translate = useTranslate();
  return (t: TimeLeft) =>
    t.days > 0
      ? translate("app.cases.duration.days", { d: t.days, h: t.hours })
      : t.hours > 0
        ? translate("app.cases.duration.hours", { h: t.hours, m: t.minutes })
        : translate("app.cases.duration.minutes", { m: t.minutes });
}

/** Time left until `dueAt` (red once overdue), ticking every 30 s on the server's clock. */
export const Countdown = ({ dueAt, compact }: { dueAt?: string; compact?: boolean }) => {
  const now = useServerNow(30_000);
  const translate = useTranslate();
  const format = useFormatDuration();
  const t = timeLeft(dueAt, now);
  if (!t) return <>—</>;
  const soon = !t.overdue && t.ms < 2 * 3600_000;
  const text = translate(t.overdue ? "app.cases.overdue_by" : "app.cases.left", { time: format(t) });
  return (
    <Tooltip title={<DateTimeField record={{ id: "due", dueAt }} source="dueAt" />}>
      <Typography
        component="span"
        variant={compact ? "body2" : "body1"}
        sx={{ color: t.overdue ? "error.main" : soon ? "warning.dark" : "text.primary", fontWeight: t.overdue || soon ? 600 : undefined, whiteSpace: "nowrap" }}
        data-testid="countdown"
        data-overdue={t.overdue}
      >
        {text}
      </Typography>
    </Tooltip>
  );
};

export const CountdownField = (_props: { source?: string; label?: string }) => {
  const record = useRecordContext<CaseRecord>();
  if (!record || record.state === "closed" || record.state === "rejected") return <>—</>;
  return <Countdown dueAt={record.dueAt} compact />;
};

export const OwnerField = (_props: { label?: string }) => <OwnerName owner={useRecordContext<CaseRecord>()?.owner} />;

export { OwnerName };
