/**
 * Exports with approval (数据导出审批): a department asks for a dataset of a unit (fields, purpose,
 * personal fields wanted in clear); the center approves (choosing which personal fields may be in
 * clear) or refuses; the requester downloads the CSV through a link valid for a few minutes.
 * Every step is audited by the API.
 */
import { useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Alert, Box, Button, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, FormGroup, Link, TextField as MuiTextField, Typography } from "@mui/material";
import DownloadIcon from "@mui/icons-material/Download";
import {
  CheckboxGroupInput,
  Create,
  DataTable,
  FormDataConsumer,
  Labeled,
  List,
  NumberField,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  maxLength,
  minLength,
  required,
  useGetIdentity,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { api } from "../http.ts";
import { choicesOf } from "../common/choices.ts";
import { Col, DateTimeField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { notifyError } from "../common/notifyError.ts";
import { UnitReferenceInput } from "../units/options.tsx";
import { EXPORT_DATASETS, secondsLeft } from "../registry/model.ts";
import { UnitName, UserName } from "../registry/names.tsx";

const STATES = ["requested", "approved", "ready", "refused"] as const;
const datasetChoices = choicesOf("app.exports.datasets", Object.keys(EXPORT_DATASETS));
const COLOR: Record<string, "info" | "default" | "success" | "error"> = { requested: "info", approved: "default", ready: "success", refused: "error" };

const StateChip = (_: { label?: string }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return <Chip size="small" color={COLOR[r.state] ?? "default"} label={translate(`app.exports.states.${r.state}`)} data-testid={`export-state-${r.state}`} />;
};
const DatasetField = (_: { label?: string }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  return <>{r ? translate(`app.exports.datasets.${r.dataset}`, { _: r.dataset }) : null}</>;
};
const UnitOf = (_: { label?: string }) => {
  const r = useRecordContext();
  return <UnitName id={r?.unitId} />;
};
const Person = ({ source }: { source: "requestedBy" | "decidedBy"; label?: string }) => {
  const r = useRecordContext();
  const who = r?.[source] as { id: string; name?: string } | undefined;
  return who ? <UserName id={who.id} fallback={who.name} /> : <>—</>;
};
const FieldList = ({ source }: { source: string; label?: string }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const fields: string[] = r?.[source] ?? [];
  if (!fields.length) return <>—</>;
  return (
    <Box sx={{ display: "flex", gap: 0.5, flexWrap: "wrap" }}>
      {fields.map((f) => (
        <Chip key={f} size="small" variant="outlined" label={translate(`app.exports.fields.${f}`, { _: f })} />
      ))}
    </Box>
  );
};

export function ExportList() {
  return (
    <List filters={[<SelectInput key="state" source="state" choices={choicesOf("app.exports.states", STATES)} alwaysOn />]} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="exports-table">
        <Col source="dataset">
          <DatasetField />
        </Col>
        <Col source="unitId">
          <UnitOf />
        </Col>
        <Col source="requestedBy">
          <Person source="requestedBy" />
        </Col>
        <Col source="purpose" field={TextField} />
        <Col source="state">
          <StateChip />
        </Col>
        <Col source="createdAt" field={DateTimeField} />
      </DataTable>
    </List>
  );
}

export function ExportCreate() {
  const translate = useTranslate();
  return (
    <Create redirect="show">
      <SimpleForm toolbar={<SaveToolbar />} defaultValues={{ dataset: "households", fields: EXPORT_DATASETS.households.fields, unmasked: [] }}>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate("app.exports.create_help")}
        </Alert>
        <SelectInput source="dataset" choices={datasetChoices} validate={required()} />
        <UnitReferenceInput source="unitId" label="resources.exports.fields.unitId" validate={required()} />
        <FormDataConsumer>
          {({ formData }) => {
            const def = EXPORT_DATASETS[formData.dataset as string];
            if (!def) return null;
            return (
              <>
                <CheckboxGroupInput key={`f-${formData.dataset}`} source="fields" choices={choicesOf("app.exports.fields", def.fields)} validate={required()} defaultValue={def.fields} />
                {def.personal.length > 0 && (
                  <CheckboxGroupInput key={`u-${formData.dataset}`} source="unmasked" choices={choicesOf("app.exports.fields", def.personal)} helperText="app.exports.unmasked_help" />
                )}
              </>
            );
          }}
        </FormDataConsumer>
        <TextInput source="purpose" multiline fullWidth validate={[required(), minLength(4, "app.exports.purpose_length"), maxLength(500)]} />
      </SimpleForm>
    </Create>
  );
}

/** The approver's buttons: approve (choosing personal fields in clear among those asked) or refuse. */
const DecideButtons = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<string[]>();
  const { identity } = useGetIdentity();
  const [dialog, setDialog] = useState<"approve" | "refuse" | undefined>();
  const [text, setText] = useState("");
  const [clear, setClear] = useState<string[]>([]);
  const decide = useMutation({
    mutationFn: async () => {
      const body = dialog === "approve" ? { note: text.trim() || undefined, unmasked: clear } : { reason: text.trim() };
      return (await api(`/v1/exports/${encodeURIComponent(String(r!.id))}/${dialog}`, { method: "POST", body })).json;
    },
    onSuccess: () => {
      setDialog(undefined);
      refresh();
    },
    onError: (e) => notifyError(notify, e),
  });
  if (!r || r.state !== "requested" || !permissions?.includes("exports:approve") || identity?.id === r.requestedBy?.id) return null;
  const asked: string[] = r.unmaskedRequested ?? [];
  return (
    <>
      <Button variant="contained" onClick={() => setDialog("approve")} data-testid="export-approve">
        {translate("app.exports.approve")}
      </Button>
      <Button color="error" onClick={() => setDialog("refuse")} data-testid="export-refuse">
        {translate("app.exports.refuse")}
      </Button>
      <Dialog open={!!dialog} onClose={() => setDialog(undefined)} maxWidth="sm" fullWidth data-testid={`export-${dialog}-dialog`}>
        <DialogTitle>{translate(`app.exports.${dialog ?? "approve"}`)}</DialogTitle>
        <DialogContent>
          {dialog === "approve" && asked.length > 0 && (
            <>
              <Typography variant="body2" sx={{ mt: 1 }}>
                {translate("app.exports.unmasked_choice")}
              </Typography>
              <FormGroup row>
                {asked.map((f) => (
                  <FormControlLabel
                    key={f}
                    control={<Checkbox checked={clear.includes(f)} onChange={(e) => setClear(e.target.checked ? [...clear, f] : clear.filter((x) => x !== f))} />}
                    label={translate(`app.exports.fields.${f}`, { _: f })}
                  />
                ))}
              </FormGroup>
            </>
          )}
          <MuiTextField
            fullWidth
            multiline
            minRows={2}
            sx={{ mt: 1 }}
            label={translate(dialog === "refuse" ? "app.exports.reason" : "app.exports.note")}
            value={text}
            onChange={(e) => setText(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500, "data-testid": "export-decision-text" } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(undefined)}>{translate("ra.action.cancel")}</Button>
          <Button variant="contained" disabled={decide.isPending || (dialog === "refuse" && !text.trim())} onClick={() => decide.mutate()} data-testid="export-decision-submit">
            {translate("ra.action.confirm")}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};

/** The requester's download: a fresh link valid for `expiresInSeconds`, counted down on screen. */
const Download = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const [link, setLink] = useState<{ url: string; filename: string; rowCount: number; until: number } | undefined>();
  const [now, setNow] = useState(Date.now());
  const get = useMutation({
    mutationFn: async () => (await api<{ url: string; expiresInSeconds: number; filename: string; rowCount: number }>(`/v1/exports/${encodeURIComponent(String(r!.id))}/download`)).json,
    onSuccess: (d) => {
      const at = Date.now();
      setNow(at);
      setLink({ url: d.url, filename: d.filename, rowCount: d.rowCount, until: at + d.expiresInSeconds * 1000 });
    },
    onError: (e) => notifyError(notify, e),
  });
  useEffect(() => {
    if (!link) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [link]);
  if (!r || r.requestedBy?.id !== identity?.id) return null;
  if (r.state === "approved") return <Alert severity="info">{translate("app.exports.preparing")}</Alert>;
  if (r.state !== "ready") return null;
  const left = link ? secondsLeft(link.until, now) : 0;
  return (
    <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
      <Button variant="contained" startIcon={<DownloadIcon />} onClick={() => get.mutate()} disabled={get.isPending} data-testid="export-download">
        {translate(link && left ? "app.exports.new_link" : "app.exports.download")}
      </Button>
      {link && left > 0 && (
        <Typography variant="body2">
          <Link href={link.url} download={link.filename} data-testid="export-link">
            {link.filename}
          </Link>{" "}
          · {translate("app.exports.rows", { count: link.rowCount })} · {translate("app.exports.valid_for", { seconds: left })}
        </Typography>
      )}
      {link && left === 0 && <Typography variant="body2">{translate("app.exports.expired")}</Typography>}
    </Box>
  );
};

export function ExportShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <DecideButtons />
        </TopToolbar>
      }
    >
      <SimpleShowLayout data-testid="export-page">
        <Labeled source="state">
          <StateChip />
        </Labeled>
        <Download />
        <Labeled source="dataset">
          <DatasetField />
        </Labeled>
        <Labeled source="unitId">
          <UnitOf />
        </Labeled>
        <FieldList source="fields" />
        <FieldList source="unmaskedRequested" />
        <FieldList source="unmaskedApproved" />
        <TextField source="purpose" />
        <Labeled source="requestedBy">
          <Person source="requestedBy" />
        </Labeled>
        <DateTimeField source="createdAt" />
        <Labeled source="decidedBy">
          <Person source="decidedBy" />
        </Labeled>
        <DateTimeField source="decidedAt" />
        <TextField source="decisionNote" emptyText="—" />
        <NumberField source="rowCount" emptyText="—" />
        <NumberField source="downloads" />
      </SimpleShowLayout>
    </Show>
  );
}
