/**
 * The case page (`GET /v1/cases/{id}` → `{case, allowedActions, timeline}`): what and where, the
 * buttons the caller may use now, the map (the case's grid and its pin), photos and the timeline.
 */
import { lazy, Suspense } from "react";
import { Box, Card, CardContent, CardHeader, Divider, Grid, Skeleton, Stack, Typography } from "@mui/material";
import { Link, ListButton, ReferenceField, Show, TopToolbar, useCreatePath, useGetOne, useRecordContext, useTranslate } from "react-admin";
import { DateTimeField } from "../common/fields.tsx";
import { isBoundary } from "../map/geo.ts";
import { ActionBar } from "./ActionBar.tsx";
import { Countdown, FlagChips, OwnerName, StateChip } from "./fields.tsx";
import type { CaseRecord } from "./model.ts";
import { Photos } from "./Photos.tsx";
import { ActorName, Timeline } from "./Timeline.tsx";
import { UnitName } from "../common/NameLabels.tsx";
import { HolidayWarnings } from "../calendar/HolidayNotice.tsx";

const MapView = lazy(() => import("../map/MapView.tsx"));

const Row = ({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) => {
  const translate = useTranslate();
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {translate(label)}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0 }} data-testid={testId}>
        {children}
      </Typography>
    </>
  );
};

const CaseMap = ({ record }: { record: CaseRecord }) => {
  const translate = useTranslate();
  const { data: unit } = useGetOne("units", { id: record.unitId }, { retry: false });
  const loc = record.location;
  const shapes = unit && isBoundary(unit.boundary) ? [{ id: unit.id, boundary: unit.boundary, label: unit.name, secondary: true }] : [];
  const points = loc ? [{ id: record.id, lng: loc.lng, lat: loc.lat, label: loc.address ?? record.number }] : [];
  return (
    <Card variant="outlined">
      <CardHeader title={translate("app.cases.map")} slotProps={{ title: { variant: "subtitle1" } }} sx={{ pb: 0 }} />
      <CardContent>
        <Suspense fallback={<Skeleton variant="rounded" height={340} />}>
          <MapView shapes={shapes} points={points} height={340} data-testid="case-map" />
        </Suspense>
        <Typography variant="caption" color="text.secondary" sx={{ display: "block", mt: 1 }}>
          {loc ? `${loc.lng.toFixed(6)}, ${loc.lat.toFixed(6)}` : "—"}
          {loc?.address ? ` · ${loc.address}` : ""}
        </Typography>
      </CardContent>
    </Card>
  );
};

const Summary = ({ record }: { record: CaseRecord }) => {
  const translate = useTranslate();
  const createPath = useCreatePath();
  const open = record.state !== "closed" && record.state !== "rejected";
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: "center", gap: 1, flexWrap: "wrap", mb: 1 }}>
          <Typography variant="h6" component="h2" data-testid="case-number">
            {record.number}
          </Typography>
          <StateChip state={record.state} size="medium" />
          <FlagChips record={record} />
          <Box sx={{ flex: 1 }} />
          {open && record.dueAt ? <Countdown dueAt={record.dueAt} /> : null}
        </Stack>
        <Typography variant="body1" sx={{ whiteSpace: "pre-wrap", mb: 2 }} data-testid="case-description" data-user-text>
          {record.description}
        </Typography>
        <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.75, m: 0 }}>
          <Row label="resources.cases.fields.categoryId">
            <ReferenceField record={record} source="categoryId" reference="categories" link={false} emptyText="—" />
          </Row>
          <Row label="resources.cases.fields.unitId">
            <Link to={createPath({ resource: "units", id: record.unitId, type: "show" })}>
              <UnitName id={record.unitId} />
            </Link>
          </Row>
          {open ? (
            <Row label="resources.cases.fields.owner">
              <OwnerName owner={record.owner} />
            </Row>
          ) : null}
          <Row label="resources.cases.fields.channel">{translate(`app.cases.channels.${record.channel}`, { _: String(record.channel ?? "—") })}</Row>
          <Row label="resources.cases.fields.reporter">{record.reporter ? <ActorName actor={record.reporter} /> : "—"}</Row>
          <Row label="resources.cases.fields.createdAt">
            <DateTimeField record={record} source="createdAt" />
          </Row>
          {open ? (
            <Row label="resources.cases.fields.dueAt">
              <DateTimeField record={record} source="dueAt" />
            </Row>
          ) : null}
          {record.closedAt ? (
            <Row label="resources.cases.fields.closedAt">
              <DateTimeField record={record} source="closedAt" />
            </Row>
          ) : null}
          {record.evaluation ? (
            <Row label="resources.cases.fields.evaluation" testId="case-evaluation">
              {translate(`app.cases.levels.${record.evaluation.level}`, { _: record.evaluation.level })}
              {record.evaluation.comment ? ` · ${record.evaluation.comment}` : ""}
            </Row>
          ) : null}
          {record.rejection ? <Row label="resources.cases.fields.rejection">{record.rejection.reason}</Row> : null}
          {record.pendingExtension ? (
            <Row label="resources.cases.fields.pendingExtension">
              {translate("app.cases.extension_summary", { hours: record.pendingExtension.hours, reason: record.pendingExtension.reason })}
            </Row>
          ) : null}
          <Row label="resources.cases.fields.id">
            <Box component="code" sx={{ fontSize: 12 }} data-testid="case-id">
              {record.id}
            </Box>
          </Row>
        </Box>
        <Divider sx={{ my: 2 }} />
        <Typography variant="subtitle2" gutterBottom>
          {translate("app.cases.available_actions")}
        </Typography>
        <ActionBar record={record} />
      </CardContent>
    </Card>
  );
};

const open = (record: CaseRecord) => record.state !== "closed" && record.state !== "rejected";

const CasePage = () => {
  const record = useRecordContext<CaseRecord>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Grid container spacing={2} sx={{ mt: 0 }} data-testid="case-page" data-state={record.state}>
      <Grid size={{ xs: 12, lg: 7 }}>
        <Stack spacing={2}>
          {/* a deadline in a year without official holidays counts Monday–Friday only: say so */}
          {open(record) && record.warnings?.length ? <HolidayWarnings warnings={record.warnings} /> : null}
          <Summary record={record} />
          <Card variant="outlined">
            <CardHeader title={translate("app.cases.photos")} slotProps={{ title: { variant: "subtitle1" } }} sx={{ pb: 0 }} />
            <CardContent>
              <Photos caseId={record.id} timeline={record.timeline} />
            </CardContent>
          </Card>
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Stack spacing={2}>
          <CaseMap record={record} />
          <Card variant="outlined">
            <CardHeader title={translate("app.cases.timeline")} slotProps={{ title: { variant: "subtitle1" } }} sx={{ pb: 0 }} />
            <CardContent>
              <Timeline events={record.timeline ?? []} />
            </CardContent>
          </Card>
        </Stack>
      </Grid>
    </Grid>
  );
};

const CaseTitle = () => {
  const record = useRecordContext<CaseRecord>();
  const translate = useTranslate();
  return <>{`${translate("resources.cases.name", { smart_count: 1 })} ${record?.number ?? ""}`}</>;
};

export default function CaseShow() {
  return (
    <Show
      title={<CaseTitle />}
      actions={
        <TopToolbar>
          <ListButton />
        </TopToolbar>
      }
      component="div"
    >
      <CasePage />
    </Show>
  );
}
