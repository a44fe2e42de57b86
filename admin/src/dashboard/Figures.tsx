/**
 * The dashboard's case figures, exact, from the aggregates through one request
 * (`GET /v1/stats/overview`, reads grow with the number of units, not cases): open now, today's
 * and the month's reports and closures, the on-time rate against last month, and the month by
 * child unit and by department. Refreshed every minute.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Box, Button, Card, CardContent, CardHeader, Skeleton, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import TvIcon from "@mui/icons-material/Tv";
import { Link, useDataProvider, useLocaleState, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { intlLocale } from "../i18n/index.ts";
import { DepartmentName } from "../common/NameLabels.tsx";
import { onTimeRate, overdueCount, type Overview } from "./overview.ts";

const Kpi = ({ label, value, sub, color, testId }: { label: string; value: string | number; sub?: string; color?: string; testId: string }) => (
  <Card variant="outlined" sx={{ flex: 1, minWidth: 150 }}>
    <CardContent sx={{ pb: "16px !important" }}>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h4" sx={{ color, fontWeight: 600 }} data-testid={testId} data-value={value}>
        {value}
      </Typography>
      {sub ? (
        <Typography variant="caption" color="text.secondary">
          {sub}
        </Typography>
      ) : null}
    </CardContent>
  </Card>
);

export default function Figures() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const api = useDataProvider<AppDataProvider>();
  const { data, isPending, isError, dataUpdatedAt } = useQuery({
    queryKey: ["wangge", "stats", "overview"],
    queryFn: () => api.getRaw<Overview>("/v1/stats/overview"),
    refetchInterval: 60_000,
    retry: false,
  });
  if (isError) return <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert>;
  if (isPending || !data) return <Skeleton variant="rounded" height={120} data-testid="dashboard-loading" />;
  const t = data.totals;
  const rate = onTimeRate(t.month);
  const prevRate = onTimeRate(t.previous);
  const pct = (v: number | null) => (v === null ? "—" : `${v}%`);
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: "medium", hourCycle: "h23" });
  return (
    <Stack spacing={2} data-testid="dashboard-figures">
      <Stack direction="row" sx={{ flexWrap: "wrap", gap: 2 }}>
        <Kpi label={translate("app.figures.open")} value={t.open} testId="kpi-open" />
        <Kpi label={translate("app.figures.today_reports")} value={t.today.reports ?? 0} testId="kpi-today-reports" />
        <Kpi label={translate("app.figures.today_closed")} value={t.today.closed ?? 0} color="success.main" testId="kpi-today-closed" />
        <Kpi
          label={translate("app.figures.month_reports")}
          value={t.month.reports ?? 0}
          sub={translate("app.figures.vs_previous", { value: t.previous.reports ?? 0 })}
          testId="kpi-month-reports"
        />
        <Kpi
          label={translate("app.figures.month_closed")}
          value={t.month.closed ?? 0}
          sub={translate("app.figures.vs_previous", { value: t.previous.closed ?? 0 })}
          color="success.main"
          testId="kpi-closed"
        />
        <Kpi label={translate("app.figures.ontime")} value={pct(rate)} sub={translate("app.figures.vs_previous", { value: pct(prevRate) })} testId="kpi-ontime" />
        <Kpi label={translate("app.figures.overdue")} value={overdueCount(t.month)} color="error.main" testId="kpi-overdue" />
      </Stack>
      <Stack direction="row" sx={{ alignItems: "center", gap: 2 }}>
        <Typography variant="caption" color="text.secondary" data-testid="dashboard-note" sx={{ flex: 1 }}>
          {translate("app.figures.source", { month: data.month, time: fmt.format(new Date(dataUpdatedAt)) })}
        </Typography>
        <Button component={Link} to="/bigscreen" size="small" startIcon={<TvIcon />} data-testid="open-bigscreen">
          {translate("app.figures.bigscreen")}
        </Button>
      </Stack>
      <Stack direction={{ xs: "column", lg: "row" }} spacing={2} sx={{ alignItems: "flex-start" }}>
        {data.children.length ? (
          <Card variant="outlined" sx={{ flex: 1, width: "100%" }} data-testid="figures-units">
            <CardHeader title={translate("app.figures.by_unit")} slotProps={{ title: { variant: "subtitle1" } }} sx={{ pb: 0 }} />
            <CardContent>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("app.figures.unit")}</TableCell>
                    <TableCell align="right">{translate("app.figures.open")}</TableCell>
                    <TableCell align="right">{translate("app.figures.reports")}</TableCell>
                    <TableCell align="right">{translate("app.figures.closed")}</TableCell>
                    <TableCell align="right">{translate("app.figures.ontime")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.children.map((u) => (
                    <TableRow key={u.id}>
                      <TableCell>{u.name}</TableCell>
                      <TableCell align="right">{u.open}</TableCell>
                      <TableCell align="right">{u.month.reports ?? 0}</TableCell>
                      <TableCell align="right">{u.month.closed ?? 0}</TableCell>
                      <TableCell align="right">{pct(onTimeRate(u.month))}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        ) : null}
        {data.departments.length ? (
          <Card variant="outlined" sx={{ flex: 1, width: "100%" }} data-testid="figures-departments">
            <CardHeader title={translate("app.figures.by_department")} slotProps={{ title: { variant: "subtitle1" } }} sx={{ pb: 0 }} />
            <CardContent>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("app.figures.department")}</TableCell>
                    <TableCell align="right">{translate("app.figures.claims")}</TableCell>
                    <TableCell align="right">{translate("app.figures.handled")}</TableCell>
                    <TableCell align="right">{translate("app.figures.closed")}</TableCell>
                    <TableCell align="right">{translate("app.figures.ontime")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {[...data.departments]
                    .sort((a, b) => (b.month.closed ?? 0) - (a.month.closed ?? 0))
                    .map((d) => (
                      <TableRow key={d.id}>
                        <TableCell>
                          <DepartmentName id={d.id} />
                        </TableCell>
                        <TableCell align="right">{d.month.claims ?? 0}</TableCell>
                        <TableCell align="right">{d.month.handled ?? 0}</TableCell>
                        <TableCell align="right">{d.month.closed ?? 0}</TableCell>
                        <TableCell align="right">{pct(onTimeRate(d.month))}</TableCell>
                      </TableRow>
                    ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        ) : null}
      </Stack>
      <Box />
    </Stack>
  );
}
