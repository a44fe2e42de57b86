/** The dashboard's charts (recharts, loaded on demand with this chunk). */
import { Box, Card, CardContent, CardHeader, Typography } from "@mui/material";
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useGetMany, useLocaleState, useTranslate } from "react-admin";
import { intlLocale } from "../i18n/index.ts";
import { unitPathLabel, useDepartmentNames, useUnitNames } from "../common/names.ts";
import type { Count, DashboardStats, DepartmentClaims } from "./stats.ts";

const STATE_COLORS: Record<string, string> = {
  reported: "#ed6c02",
  accepted: "#0288d1",
  claimable: "#9c27b0",
  dispatched: "#1976d2",
  in_progress: "#1565c0",
  handled: "#00838f",
  verified: "#2e7d32",
};

const ChartCard = ({ title, subheader, children, testId, empty, wide }: { title: string; subheader?: string; children: React.ReactNode; testId: string; empty?: boolean; wide?: boolean }) => {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ minWidth: 0, gridColumn: wide ? "1 / -1" : undefined }} data-testid={testId}>
      <CardHeader title={translate(title)} subheader={subheader} slotProps={{ title: { variant: "subtitle1" }, subheader: { variant: "caption" } }} sx={{ pb: 0 }} />
      <CardContent sx={{ height: 260 }}>
        {empty ? (
          <Box sx={{ height: "100%", display: "grid", placeItems: "center" }}>
            <Typography variant="body2" color="text.secondary">
              {translate("app.dashboard.no_data")}
            </Typography>
          </Box>
        ) : (
          children
        )}
      </CardContent>
    </Card>
  );
};

/** Names of categories (readable by every role), ids while loading. */
function useNames(resource: string, ids: string[]): Map<string, string> {
  const { data } = useGetMany(resource, { ids }, { enabled: ids.length > 0, retry: false });
  return new Map((data ?? []).map((r) => [String(r.id), String(r.name ?? r.id)]));
}

const named = (counts: Count[], names: Map<string, string>) => counts.map((c) => ({ name: names.get(c.id) ?? c.id, count: c.count }));

export default function Charts({ stats, claims }: { stats: DashboardStats; claims?: DepartmentClaims }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const categories = useNames("categories", stats.byCategory.map((c) => c.id));
  // units and departments by name for every role (POST /v1/names), also where the caller cannot open them
  const unitLabels = useUnitNames(stats.overdueUnits.map((c) => c.id));
  const units = new Map(Object.values(unitLabels).map((u) => [u!.id, unitPathLabel(u!, 2)]));
  const departmentLabels = useDepartmentNames(stats.departments.map((d) => d.id));
  const departments = new Map(Object.values(departmentLabels).map((d) => [d!.id, d!.name]));
  const byState = stats.byState.map((s) => ({ state: s.state, name: translate(`app.case_states.${s.state}`), count: s.count }));
  const deptData = stats.departments.map((d) => ({ name: departments.get(d.id) ?? d.id, open: d.open, closed: d.closed }));
  const openLabel = translate("app.dashboard.series_open");
  const closedLabel = translate("app.dashboard.series_closed");
  const countLabel = translate("app.dashboard.series_count");
  return (
    <Box sx={{ display: "grid", gridTemplateColumns: { xs: "1fr", md: "1fr 1fr" }, gap: 2 }}>
      <ChartCard title="app.dashboard.by_state" testId="chart-by-state" empty={stats.open === 0}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={byState} margin={{ top: 8, right: 8, bottom: 8, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="count" name={countLabel} isAnimationActive={false} maxBarSize={36}>
              {byState.map((s) => (
                <Cell key={s.state} fill={STATE_COLORS[s.state] ?? "#1976d2"} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="app.dashboard.by_category" testId="chart-by-category" empty={!stats.byCategory.length}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={named(stats.byCategory, categories)} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="count" name={countLabel} fill="#1976d2" isAnimationActive={false} maxBarSize={36} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="app.dashboard.overdue_units" testId="chart-overdue-units" empty={!stats.overdueUnits.length}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={named(stats.overdueUnits, units)} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="count" name={countLabel} fill="#d32f2f" isAnimationActive={false} maxBarSize={36} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="app.dashboard.by_department" testId="chart-by-department" empty={!deptData.length}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={deptData} margin={{ top: 8, right: 8, bottom: 8, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend />
            <Bar dataKey="open" name={openLabel} stackId="d" fill="#1976d2" isAnimationActive={false} maxBarSize={36} />
            <Bar dataKey="closed" name={closedLabel} stackId="d" fill="#2e7d32" isAnimationActive={false} maxBarSize={36} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      {claims?.rows.length ? (
        <ChartCard
          title="app.dashboard.claims"
          subheader={translate("app.dashboard.claims_source", {
            period: claims.period,
            at: claims.computedAt ? new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "short", timeStyle: "short" }).format(new Date(claims.computedAt)) : "—",
          })}
          testId="chart-claims"
          wide
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={claims.rows} margin={{ top: 8, right: 8, bottom: 8, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar dataKey="claims" name={translate("app.dashboard.series_claims")} fill="#9c27b0" isAnimationActive={false} maxBarSize={36} />
              <Bar dataKey="assigned" name={translate("app.dashboard.series_assigned")} fill="#90a4ae" isAnimationActive={false} maxBarSize={36} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
      ) : null}
    </Box>
  );
}
