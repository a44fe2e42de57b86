/** Twelve small months; a click on a day toggles holiday / make-up working day. */
import { Box, ButtonBase, Typography } from "@mui/material";
import { memo } from "react";
import { useTranslate } from "react-admin";
import { dayKind, monthGrid, type DayKind, type WorkingCalendar } from "./model.ts";

export const KIND_STYLE: Record<DayKind, { bgcolor: string; color: string }> = {
  workday: { bgcolor: "transparent", color: "text.primary" },
  rest: { bgcolor: "action.selected", color: "text.secondary" },
  holiday: { bgcolor: "error.main", color: "error.contrastText" },
  makeup: { bgcolor: "info.main", color: "info.contrastText" },
};

export const KIND_LABEL: Record<DayKind, string> = {
  workday: "app.calendar.legend_workday",
  rest: "app.calendar.legend_rest",
  holiday: "app.calendar.legend_holiday",
  makeup: "app.calendar.legend_makeup",
};

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const CELL = 28;

interface Props {
  year: number;
  calendar: WorkingCalendar;
  onToggle?: (date: string) => void;
}

const Month = memo(({ year, month, calendar, onToggle }: Props & { month: number }) => {
  const translate = useTranslate();
  return (
    <Box data-testid={`month-${month}`}>
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        {translate(`app.months.${month}`)}
      </Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: `repeat(7, ${CELL}px)`, gap: "2px" }} role="grid">
        {WEEKDAYS.map((w) => (
          <Typography key={w} variant="caption" sx={{ textAlign: "center", color: "text.secondary" }} aria-label={translate(`app.weekdays.${w}`)}>
            {translate(`app.weekdays_short.${w}`)}
          </Typography>
        ))}
        {monthGrid(year, month)
          .flat()
          .map((date, i) => {
            if (!date) return <Box key={`pad-${i}`} />;
            const kind = dayKind(calendar, date);
            return (
              <ButtonBase
                key={date}
                disabled={!onToggle}
                onClick={onToggle ? () => onToggle(date) : undefined}
                data-testid={`day-${date}`}
                data-kind={kind}
                aria-label={`${date} ${translate(KIND_LABEL[kind])}`}
                title={translate(KIND_LABEL[kind])}
                sx={{
                  width: CELL,
                  height: CELL,
                  borderRadius: 1,
                  fontSize: 12,
                  ...KIND_STYLE[kind],
                  "&:hover": onToggle ? { outline: "2px solid", outlineColor: "primary.main" } : undefined,
                  "&.Mui-disabled": KIND_STYLE[kind],
                }}
              >
                {Number(date.slice(8))}
              </ButtonBase>
            );
          })}
      </Box>
    </Box>
  );
});

export const YearGrid = ({ year, calendar, onToggle }: Props) => (
  <Box
    sx={{ display: "grid", gridTemplateColumns: `repeat(auto-fill, minmax(${CELL * 7 + 24}px, 1fr))`, gap: 3 }}
    data-testid="calendar-year-grid"
  >
    {Array.from({ length: 12 }, (_, i) => (
      <Month key={i + 1} year={year} month={i + 1} calendar={calendar} onToggle={onToggle} />
    ))}
  </Box>
);

export const Legend = () => {
  const translate = useTranslate();
  return (
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "center" }}>
      {(Object.keys(KIND_LABEL) as DayKind[]).map((k) => (
        <Box key={k} sx={{ display: "flex", gap: 0.5, alignItems: "center" }}>
          <Box sx={{ width: 14, height: 14, borderRadius: 0.5, border: 1, borderColor: "divider", ...KIND_STYLE[k] }} />
          <Typography variant="caption">{translate(KIND_LABEL[k])}</Typography>
        </Box>
      ))}
    </Box>
  );
};
