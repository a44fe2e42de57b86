/**
 * The home page (数据大屏 in spirit): case figures and charts refreshed every minute, then whether
 * the API is up and who I am (roles and where they apply).
 */
import { lazy, Suspense } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Box, Card, CardContent, CardHeader, Chip, LinearProgress, Link as MuiLink, List, ListItem, ListItemText, Skeleton, Stack, Typography } from "@mui/material";
import { Link, Title, useCanAccess, useCreatePath, useDataProvider, useGetIdentity, useGetOne, useLocaleState, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { intlLocale } from "../i18n/index.ts";
import type { Me } from "../session.ts";
import { MENU_ENTRIES, mayOpen } from "../layout/Menu.tsx";
import { serverNow, syncServerClock } from "../common/serverClock.ts";
import { loadDashboard, loadDepartmentClaims, PAGE_SIZE, PAGES_PER_LIST } from "./load.ts";
import { utcMonth, type DashboardStats } from "./stats.ts";

const Charts = lazy(() => import("./Charts.tsx"));

interface Health {
  status: string;
  app?: string;
  schema?: number;
  time?: string;
}

const HealthCard = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data, isPending, isError } = useQuery({
    queryKey: ["wangge", "health"],
    queryFn: () => dataProvider.getRaw<Health>("/v1/health"),
    refetchInterval: 60_000,
    retry: false,
  });
  const ok = !isError && data?.status === "ok";
  return (
    <Card sx={{ flex: 1, minWidth: 280 }} data-testid="dashboard-health">
      <CardHeader
        title={translate("app.dashboard.health")}
        action={
          isPending ? null : (
            <Chip color={ok ? "success" : "error"} label={translate(ok ? "app.dashboard.status_ok" : "app.dashboard.status_down")} data-testid="health-status" />
          )
        }
      />
      <CardContent>
        {isPending ? (
          <Typography variant="body2">{translate("app.loading")}</Typography>
        ) : data ? (
          <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.5, m: 0 }}>
            <dt>{translate("app.dashboard.app_version")}</dt>
            <dd style={{ margin: 0 }} data-testid="health-app">
              {data.app ?? "—"}
            </dd>
            <dt>{translate("app.dashboard.schema_version")}</dt>
            <dd style={{ margin: 0 }}>{data.schema ?? "—"}</dd>
            <dt>{translate("app.dashboard.server_time")}</dt>
            <dd style={{ margin: 0 }}>
              {data.time ? new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "medium" }).format(new Date(data.time)) : "—"}
            </dd>
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
};

const UnitName = ({ id, fallback }: { id: string; fallback: string }) => {
  const { data } = useGetOne("units", { id }, { retry: false });
  return <>{data?.name ?? fallback}</>;
};

const DepartmentName = ({ id }: { id: string }) => {
  const { data } = useGetOne("departments", { id }, { retry: false });
  return <>{data?.name ?? id}</>;
};

const RolesCard = ({ me }: { me: Me | undefined }) => {
  const translate = useTranslate();
  const assignments = me?.assignments ?? [];
  // the chips name screens that exist: the menu's entries the caller may open
  const screens = MENU_ENTRIES.filter((e) => mayOpen(e, me?.permissions));
  return (
    <Card sx={{ flex: 2, minWidth: 320 }} data-testid="dashboard-roles">
      <CardHeader title={translate("app.dashboard.my_roles")} />
      <CardContent>
        {assignments.length === 0 ? (
          <Alert severity="info">{translate("app.dashboard.no_roles")}</Alert>
        ) : (
          <List dense disablePadding>
            {assignments.map((a, i) => (
              <ListItem key={`${a.role}-${a.unitId}-${i}`} disableGutters data-testid={`role-${a.role}`}>
                <ListItemText
                  primary={translate(`app.roles.${a.role}`, { _: a.role })}
                  secondary={
                    <>
                      <UnitName id={a.unitId} fallback={a.unitPath} />
                      {a.departmentId ? (
                        <>
                          {" · "}
                          <DepartmentName id={a.departmentId} />
                        </>
                      ) : null}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        )}
        {screens.length ? (
          <Box sx={{ mt: 2 }}>
            <Typography variant="subtitle2" gutterBottom>
              {translate("app.dashboard.permissions")}
            </Typography>
            <Stack direction="row" sx={{ flexWrap: "wrap", gap: 0.5 }} data-testid="dashboard-screens">
              {screens.map((e) => (
                <Chip key={e.to} size="small" variant="outlined" clickable component={Link} to={e.to} label={translate(e.label, { smart_count: 2, _: e.label })} />
              ))}
            </Stack>
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
};

const Kpi = ({ label, value, capped, color, testId }: { label: string; value: number; capped?: boolean; color?: string; testId: string }) => {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ flex: 1, minWidth: 150 }}>
      <CardContent sx={{ pb: "16px !important" }}>
        <Typography variant="body2" color="text.secondary">
          {translate(label)}
        </Typography>
        <Typography variant="h4" sx={{ color, fontWeight: 600 }} data-testid={testId} data-value={value}>
          {value}
          {capped ? "+" : ""}
        </Typography>
      </CardContent>
    </Card>
  );
};

const RecentClosed = ({ stats }: { stats: DashboardStats }) => {
  const translate = useTranslate();
  const createPath = useCreatePath();
  const [locale] = useLocaleState();
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "short", timeStyle: "short" });
  return (
    <Card variant="outlined" data-testid="recent-closed">
      <CardHeader title={translate("app.dashboard.recent_closed")} slotProps={{ title: { variant: "subtitle1" } }} sx={{ pb: 0 }} />
      <CardContent>
        {stats.recentClosed.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate("app.dashboard.no_data")}
          </Typography>
        ) : (
          <List dense disablePadding>
            {stats.recentClosed.map((c) => (
              <ListItem key={c.id} disableGutters data-testid={`recent-closed-${c.number}`}>
                <ListItemText
                  primary={
                    <MuiLink component={Link} to={createPath({ resource: "cases", id: c.id, type: "show" })}>
                      {c.number}
                    </MuiLink>
                  }
                  secondary={c.closedAt ? fmt.format(new Date(c.closedAt)) : undefined}
                />
              </ListItem>
            ))}
          </List>
        )}
      </CardContent>
    </Card>
  );
};

/** Case figures of the caller's part of the county, from the case lists (capped), every 60 s. */
const CaseFigures = ({ appraisals }: { appraisals: boolean }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  // claims per department: the monthly appraisal counts them exactly (when a run exists)
  const { data: claims } = useQuery({
    queryKey: ["wangge", "dashboard", "claims"],
    queryFn: async () => {
      await syncServerClock();
      return loadDepartmentClaims((p, q) => dataProvider.getRaw(p, q), utcMonth(serverNow()));
    },
    enabled: appraisals,
    refetchInterval: 60_000,
    retry: false,
  });
  const { data, isPending, isError, isFetching, dataUpdatedAt } = useQuery({
    queryKey: ["wangge", "dashboard", "cases"],
    queryFn: async () => {
      await syncServerClock();
      return loadDashboard((p, q) => dataProvider.getRaw(p, q), utcMonth(serverNow()));
    },
    refetchInterval: 60_000,
    retry: false,
  });
  if (isError) return <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert>;
  if (isPending || !data) return <Skeleton variant="rounded" height={120} data-testid="dashboard-loading" />;
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: "medium" });
  return (
    <Stack spacing={2} data-testid="dashboard-figures">
      <Stack direction="row" sx={{ flexWrap: "wrap", gap: 2 }}>
        <Kpi label="app.dashboard.open_cases" value={data.open} capped={data.openCapped} testId="kpi-open" />
        <Kpi label="app.dashboard.overdue" value={data.overdue} capped={data.openCapped} color="error.main" testId="kpi-overdue" />
        <Kpi label="app.dashboard.supervised" value={data.supervised} capped={data.openCapped} color="warning.dark" testId="kpi-supervised" />
        <Kpi label="app.dashboard.closed_month" value={data.closed} capped={data.closedCapped} color="success.main" testId="kpi-closed" />
      </Stack>
      <Typography variant="caption" color="text.secondary" data-testid="dashboard-note">
        {translate("app.dashboard.sample_note", { max: PAGE_SIZE * PAGES_PER_LIST, month: data.month })}
        {" · "}
        {translate("app.dashboard.updated_at", { time: fmt.format(new Date(dataUpdatedAt)) })}
      </Typography>
      {isFetching ? <LinearProgress sx={{ height: 2 }} /> : <Box sx={{ height: 2 }} />}
      <Suspense fallback={<Skeleton variant="rounded" height={560} />}>
        <Charts stats={data} claims={claims ?? undefined} />
      </Suspense>
      <RecentClosed stats={data} />
    </Stack>
  );
};

export default function Dashboard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { canAccess: seesCases } = useCanAccess({ resource: "cases", action: "list" });
  const me = identity as unknown as Me | undefined;
  return (
    <Box sx={{ mt: 2 }} data-testid="dashboard">
      <Title title="ra.page.dashboard" />
      <Typography variant="h5" sx={{ mb: 2 }}>
        {translate("app.dashboard.welcome", { name: me?.displayName ?? me?.username ?? "" })}
      </Typography>
      {seesCases ? (
        <Box sx={{ mb: 2 }}>
          <CaseFigures appraisals={!!me?.permissions?.includes("appraisals:read")} />
        </Box>
      ) : null}
      <Stack direction={{ xs: "column", md: "row" }} spacing={2} sx={{ alignItems: "flex-start" }}>
        <HealthCard />
        <RolesCard me={me} />
      </Stack>
    </Box>
  );
}
