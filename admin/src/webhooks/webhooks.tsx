/**
 * Partner webhooks: create (the signing secret is shown once), choose the case events, see every
 * delivery with its status code and response time, redeliver one, deactivate or reactivate.
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import {
  BooleanInput,
  CheckboxGroupInput,
  Create,
  DataTable,
  Edit,
  EditButton,
  Labeled,
  List,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  maxLength,
  required,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
  type RaRecord,
} from "react-admin";
import { api } from "../http.ts";
import { ActiveField, Col, DateTimeField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { notifyError } from "../common/notifyError.ts";
import { WEBHOOK_EVENTS } from "../registry/model.ts";
import { useFormat } from "../duties/format.ts";

const eventChoices = [{ id: "*", name: "app.webhooks.all_events" }, ...WEBHOOK_EVENTS.map((e) => ({ id: e, name: `app.cases.events.${e}` }))];

const EventChips = (_: { label?: string }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const types: string[] = r?.eventTypes ?? [];
  return (
    <Box sx={{ display: "flex", gap: 0.5, flexWrap: "wrap" }}>
      {types.map((t) => (
        <Chip key={t} size="small" variant="outlined" label={t === "*" ? translate("app.webhooks.all_events") : translate(`app.cases.events.${t}`, { _: t })} />
      ))}
    </Box>
  );
};

export function WebhookList() {
  return (
    <List exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="webhooks-table">
        <Col source="name">
          <TextField source="name" data-user-text />
        </Col>
        <Col source="url">
          <TextField source="url" data-user-text />
        </Col>
        <Col source="eventTypes">
          <EventChips />
        </Col>
        <Col source="active">
          <ActiveField />
        </Col>
        <Col source="createdAt" field={DateTimeField} />
      </DataTable>
    </List>
  );
}

const Inputs = () => (
  <>
    <TextInput source="name" validate={[required(), maxLength(64)]} />
    <TextInput source="url" validate={[required(), maxLength(2048)]} fullWidth helperText="app.webhooks.url_help" />
    <CheckboxGroupInput source="eventTypes" choices={eventChoices} validate={required()} helperText="app.webhooks.events_help" />
    <BooleanInput source="active" />
  </>
);

const SecretDialog = ({ secret, onDone }: { secret: string | undefined; onDone: () => void }) => {
  const translate = useTranslate();
  return (
    <Dialog open={secret !== undefined} maxWidth="sm" fullWidth data-testid="webhook-secret-dialog">
      <DialogTitle>{translate("app.webhooks.secret_title")}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate("app.webhooks.secret_warning")}
        </Alert>
        <Box component="code" data-testid="webhook-secret" sx={{ display: "block", p: 1.5, bgcolor: "action.hover", borderRadius: 1, fontFamily: "monospace", wordBreak: "break-all", userSelect: "all" }}>
          {secret}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onDone} data-testid="webhook-secret-done">
          {translate("app.webhooks.secret_done")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

export function WebhookCreate() {
  const [created, setCreated] = useState<RaRecord | undefined>();
  const redirect = useRedirect();
  return (
    <>
      <Create mutationOptions={{ onSuccess: (data: RaRecord) => setCreated(data) }}>
        <SimpleForm toolbar={<SaveToolbar />} defaultValues={{ eventTypes: ["*"], active: true }}>
          <Inputs />
        </SimpleForm>
      </Create>
      <SecretDialog
        secret={created ? String(created.secret ?? "") : undefined}
        onDone={() => {
          const id = created?.id;
          setCreated(undefined);
          if (id !== undefined) redirect("show", "webhooks", id);
        }}
      />
    </>
  );
}

export function WebhookEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm toolbar={<SaveToolbar />}>
        <Inputs />
      </SimpleForm>
    </Edit>
  );
}

/** Deactivate (deliveries stop; queued ones are skipped) or reactivate. */
const ActiveToggle = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const toggle = useMutation({
    mutationFn: async () => (await api(`/v1/webhooks/${encodeURIComponent(String(r!.id))}`, { method: "PATCH", body: { version: r!.version, active: !r!.active } })).json,
    onSuccess: () => refresh(),
    onError: (e) => notifyError(notify, e),
  });
  if (!r) return null;
  return (
    <Button color={r.active ? "error" : "primary"} onClick={() => toggle.mutate()} disabled={toggle.isPending} data-testid={r.active ? "webhook-deactivate" : "webhook-activate"}>
      {translate(r.active ? "app.webhooks.deactivate" : "app.webhooks.activate")}
    </Button>
  );
};

type Delivery = {
  id: string;
  eventType: string;
  caseNumber: string;
  status: "pending" | "succeeded" | "failed" | "skipped";
  attempts: number;
  lastAttempt?: { at: string; statusCode?: number; error?: string; durationMs: number };
  lastError?: string;
  createdAt: string;
};
const STATUS_COLOR = { pending: "default", succeeded: "success", failed: "error", skipped: "warning" } as const;

const Deliveries = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const key = ["wangge", "webhook-deliveries", r?.id];
  const { data, refetch, isFetching } = useQuery({
    queryKey: key,
    queryFn: async () => (await api<{ items: Delivery[] }>(`/v1/webhooks/${encodeURIComponent(String(r!.id))}/deliveries`, { query: { limit: 50 } })).json.items,
    enabled: !!r?.id,
    refetchInterval: 10_000,
  });
  const redeliver = useMutation({
    mutationFn: async (d: Delivery) => (await api(`/v1/webhooks/${encodeURIComponent(String(r!.id))}/deliveries/${encodeURIComponent(d.id)}/redeliver`, { method: "POST", body: {} })).json,
    onSuccess: () => {
      notify("app.webhooks.redelivered", { type: "info" });
      queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (e) => notifyError(notify, e),
  });
  return (
    <Card variant="outlined" sx={{ m: 2 }}>
      <CardHeader
        title={translate("app.webhooks.deliveries")}
        slotProps={{ title: { variant: "subtitle1" } }}
        action={
          <Button onClick={() => refetch()} disabled={isFetching} data-testid="webhook-deliveries-refresh">
            {translate("ra.action.refresh")}
          </Button>
        }
      />
      <CardContent sx={{ overflowX: "auto" }}>
        {!data?.length ? (
          <Typography variant="body2">{translate("app.webhooks.no_deliveries")}</Typography>
        ) : (
          <Table size="small" data-testid="webhook-deliveries">
            <TableHead>
              <TableRow>
                <TableCell>{translate("app.webhooks.at")}</TableCell>
                <TableCell>{translate("app.webhooks.event")}</TableCell>
                <TableCell>{translate("app.webhooks.case")}</TableCell>
                <TableCell>{translate("app.webhooks.status")}</TableCell>
                <TableCell>{translate("app.webhooks.status_code")}</TableCell>
                <TableCell>{translate("app.webhooks.duration")}</TableCell>
                <TableCell>{translate("app.webhooks.attempts")}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((d) => (
                <TableRow key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                  <TableCell sx={{ whiteSpace: "nowrap" }}>{fmt.dateTime(d.lastAttempt?.at ?? d.createdAt)}</TableCell>
                  <TableCell>{translate(`app.cases.events.${d.eventType}`, { _: d.eventType })}</TableCell>
                  <TableCell>{d.caseNumber}</TableCell>
                  <TableCell>
                    <Chip size="small" color={STATUS_COLOR[d.status]} label={translate(`app.webhooks.statuses.${d.status}`)} />
                  </TableCell>
                  <TableCell data-testid="delivery-code">{d.lastAttempt?.statusCode ?? d.lastAttempt?.error ?? d.lastError ?? "—"}</TableCell>
                  <TableCell>{d.lastAttempt ? `${d.lastAttempt.durationMs} ms` : "—"}</TableCell>
                  <TableCell>{d.attempts}</TableCell>
                  <TableCell>
                    {d.status !== "pending" && (
                      <Button size="small" onClick={() => redeliver.mutate(d)} disabled={redeliver.isPending} data-testid="delivery-redeliver">
                        {translate("app.webhooks.redeliver")}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
};

export function WebhookShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <ActiveToggle />
          <EditButton />
        </TopToolbar>
      }
    >
      <SimpleShowLayout data-testid="webhook-page">
        <TextField source="name" data-user-text />
        <TextField source="url" data-user-text />
        <Labeled source="eventTypes">
          <EventChips />
        </Labeled>
        <Labeled source="active">
          <ActiveField />
        </Labeled>
        <TextField source="secretHint" />
        <DateTimeField source="createdAt" />
      </SimpleShowLayout>
      <Deliveries />
    </Show>
  );
}
