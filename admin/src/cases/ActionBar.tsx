/**
 * The case's buttons: exactly the `allowedActions` the API returned for this caller, each opening
 * its form (core/case/schema.ts ActionInput). Photos are uploaded to the case first
 * (`POST /v1/cases/{id}/attachments`), then the action is sent; 400 issues show under the inputs,
 * 400/409 messages as a notification.
 */
import { useState } from "react";
import { Alert, Box, Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Typography } from "@mui/material";
import {
  BooleanInput,
  Form,
  FormDataConsumer,
  NumberInput,
  RadioButtonGroupInput,
  ReferenceInput,
  SelectInput,
  TextInput,
  maxValue,
  minValue,
  number,
  required,
  useNotify,
  useTranslate,
  type Validator,
} from "react-admin";
import { notifyError } from "../common/notifyError.ts";
import { filesOf, PhotosInput } from "../common/PhotosInput.tsx";
import { uploadAll } from "../common/upload.ts";
import { errorInfo } from "../errors.ts";
import { UnitReferenceInput } from "../units/options.tsx";
import { ACTION_FORMS, actionBody, actionDefaults, EVALUATION_LEVELS, MEDIATION_OUTCOMES, visibleActions, type CaseAction, type CaseRecord, type FieldSpec } from "./model.ts";
import { useCaseAct } from "./useCaseAct.ts";

const levelChoices = EVALUATION_LEVELS.map((l) => ({ id: l, name: `app.cases.levels.${l}` }));
const outcomeChoices = MEDIATION_OUTCOMES.map((o) => ({ id: o, name: `app.cases.outcomes.${o}` }));
const targetChoices = [
  { id: "department", name: "app.cases.target.department" },
  { id: "unit", name: "app.cases.target.unit" },
];

/** A failed verification must say what is still wrong. */
const noteWhenFailed: Validator = (value: unknown, values: Record<string, unknown>) =>
  values.pass === false && !(typeof value === "string" && value.trim()) ? "app.cases.note_when_failed" : undefined;

const label = (name: string) => `app.cases.fields.${name}`;

const ActionField = ({ action, field }: { action: CaseAction; field: FieldSpec }) => {
  const req = field.required ? [required()] : [];
  switch (field.kind) {
    case "note":
    case "comment":
      return (
        <TextInput
          source={field.name}
          label={label(field.name)}
          multiline
          minRows={2}
          fullWidth
          validate={action === "verify" && field.name === "note" ? [noteWhenFailed] : req}
          data-testid={`field-${field.name}`}
        />
      );
    case "case":
      return <TextInput source={field.name} label={label(field.name)} helperText="app.cases.into_case_help" fullWidth validate={req} data-testid={`field-${field.name}`} />;
    case "hours":
      return <NumberInput source={field.name} label={label(field.name)} min={1} max={2160} step={1} validate={[...req, number(), minValue(1), maxValue(2160)]} data-testid={`field-${field.name}`} />;
    case "datetime":
      return (
        <TextInput
          source={field.name}
          label={label(field.name)}
          type="datetime-local"
          validate={req}
          slotProps={{ inputLabel: { shrink: true } }}
          data-testid={`field-${field.name}`}
        />
      );
    case "level":
      return <RadioButtonGroupInput source={field.name} label={label(field.name)} choices={levelChoices} validate={req} data-testid={`field-${field.name}`} />;
    case "outcome":
      return <RadioButtonGroupInput source={field.name} label={label(field.name)} choices={outcomeChoices} validate={req} data-testid={`field-${field.name}`} />;
    case "pass":
      return <BooleanInput source={field.name} label="app.cases.fields.pass" data-testid={`field-${field.name}`} />;
    case "target":
      return (
        <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ width: "100%" }}>
          <SelectInput source="to.kind" label={label("to_kind")} choices={targetChoices} validate={req} sx={{ minWidth: 160 }} />
          <FormDataConsumer>
            {({ formData }) =>
              formData?.to?.kind === "unit" ? (
                <UnitReferenceInput source="to.id" label={label("to_unit")} validate={required()} filter={{ active: "true" }} />
              ) : (
                <ReferenceInput source="to.id" reference="departments" perPage={200} filter={{ active: "true" }}>
                  <SelectInput optionText="name" label={label("to_department")} validate={required()} sx={{ minWidth: 220 }} />
                </ReferenceInput>
              )
            }
          </FormDataConsumer>
        </Stack>
      );
    case "attachments":
      return <PhotosInput source="attachments" required={field.required} testId="action-photos" />;
  }
};

const ActionDialog = ({ record, action, onClose }: { record: CaseRecord; action: CaseAction; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [uploading, setUploading] = useState(false);
  const act = useCaseAct({ onSuccess: onClose });
  const form = ACTION_FORMS[action];
  const busy = uploading || act.isPending;

  const submit = async (values: Record<string, unknown>) => {
    let sent = false;
    try {
      const files = filesOf(values.attachments);
      let attachments: { key: string; kind: string }[] = [];
      if (files.length) {
        setUploading(true);
        try {
          attachments = await uploadAll(`/v1/cases/${encodeURIComponent(record.id)}/attachments`, files, form.tag ?? "other");
        } finally {
          setUploading(false);
        }
      }
      sent = true;
      await act.mutateAsync({ id: record.id, action, body: actionBody(action, values, attachments) });
    } catch (e) {
      // an upload failed before the action was sent (the mutation reports its own errors)
      if (!sent) notifyError(notify, e);
      const status = (e as { status?: number }).status;
      if (status === 409) onClose();
      return errorInfo(e)?.errors;
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="case-action-title" data-testid={`dialog-${action}`}>
      <Form record={actionDefaults(action)} onSubmit={submit}>
        <DialogTitle id="case-action-title">
          {translate(`app.cases.actions.${action}`)} · {record.number}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate(`app.cases.action_help.${action}`)}
          </Typography>
          {form.fields.map((f) => (
            <ActionField key={f.name} action={action} field={f} />
          ))}
          {busy ? <LinearProgress sx={{ mt: 1 }} /> : null}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={onClose} disabled={busy}>
            {translate("ra.action.cancel")}
          </MuiButton>
          <MuiButton type="submit" variant="contained" color={form.tone} disabled={busy} data-testid={`submit-${action}`}>
            {translate(`app.cases.actions.${action}`)}
          </MuiButton>
        </DialogActions>
      </Form>
    </Dialog>
  );
};

/** One button per allowed action; none allowed → a short explanation. */
export const ActionBar = ({ record }: { record: CaseRecord }) => {
  const translate = useTranslate();
  const [open, setOpen] = useState<CaseAction | undefined>();
  const actions = visibleActions(record.allowedActions);
  if (!actions.length) {
    return (
      <Alert severity="info" variant="outlined" data-testid="no-actions">
        {translate("app.cases.no_actions")}
      </Alert>
    );
  }
  return (
    <Box data-testid="case-actions">
      <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1 }}>
        {actions.map((a, i) => (
          <MuiButton
            key={a}
            variant={i === 0 ? "contained" : "outlined"}
            color={ACTION_FORMS[a].tone}
            size="small"
            onClick={() => setOpen(a)}
            data-testid={`action-${a}`}
          >
            {translate(`app.cases.actions.${a}`)}
          </MuiButton>
        ))}
      </Stack>
      {open ? <ActionDialog key={open} record={record} action={open} onClose={() => setOpen(undefined)} /> : null}
    </Box>
  );
};
