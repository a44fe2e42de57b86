/**
 * The home page: exact case figures from the aggregates (Figures.tsx, refreshed every minute, with
 * a link to the big screen), then whether the API is up and who I am (roles, screens I can open).
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Box, Card, CardContent, CardHeader, Chip, List, ListItem, ListItemText, Stack, Typography } from "@mui/material";
import { Link, Title, useCanAccess, useDataProvider, useGetIdentity, useGetOne, useLocaleState, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { intlLocale } from "../i18n/index.ts";
import type { Me } from "../session.ts";
import { MENU_ENTRIES, mayOpen } from "../layout/Menu.tsx";
import Figures from "./Figures.tsx";

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
          <Figures />
        </Box>
      ) : null}
      <Stack direction={{ xs: "column", md: "row" }} spacing={2} sx={{ alignItems: "flex-start" }}>
        <HealthCard />
        <RolesCard me={me} />
      </Stack>
    </Box>
  );
}
