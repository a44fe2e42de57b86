/** Domain actions on a unit: move under another parent, deactivate. */
import { useState } from "react";
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import DriveFileMoveIcon from "@mui/icons-material/DriveFileMove";
import BlockIcon from "@mui/icons-material/Block";
import { Button, Confirm, Form, TextInput, regex, required, useCanAccess, useRecordContext, useTranslate, type RaRecord } from "react-admin";
import { useAct } from "../common/useAct.ts";
import { errorInfo } from "../errors.ts";
import { UnitReferenceInput } from "./options.tsx";

export const MoveUnitButton = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: "units", action: "move", record });
  const act = useAct("units", { success: "app.units.moved", onSuccess: () => setOpen(false) });
  if (!record || !canAccess || !record.parentId || record.active === false) return null;

  const submit = async (values: Record<string, unknown>) => {
    const body: Record<string, unknown> = { parentId: values.parentId, version: record.version };
    if (typeof values.code === "string" && values.code.trim()) body.code = values.code.trim();
    try {
      await act.mutateAsync({ id: record.id, action: "move", body });
    } catch (e) {
      return errorInfo(e)?.errors;
    }
  };

  return (
    <>
      <Button label="app.units.move" onClick={() => setOpen(true)} data-testid="unit-move">
        <DriveFileMoveIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" aria-labelledby="unit-move-title">
        <Form record={{}} onSubmit={submit}>
          <DialogTitle id="unit-move-title">{translate("app.units.move_title", { name: record.name })}</DialogTitle>
          <DialogContent>
            <UnitReferenceInput source="parentId" label="app.units.new_parent" validate={required()} filter={{ active: "true" }} />
            <TextInput
              source="code"
              label="app.units.new_code"
              helperText="app.units.new_code_help"
              validate={regex(/^\d{6,24}$/, "app.validation.code_digits")}
              fullWidth
            />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</MuiButton>
            <MuiButton type="submit" variant="contained" disabled={act.isPending} data-testid="unit-move-submit">
              {translate("app.units.move")}
            </MuiButton>
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};

export const DeactivateUnitButton = () => {
  const record = useRecordContext<RaRecord>();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: "units", action: "deactivate", record });
  const act = useAct("units", { success: "app.units.deactivated", onSuccess: () => setOpen(false) });
  if (!record || !canAccess || record.active === false || !record.parentId) return null;
  return (
    <>
      <Button label="app.units.deactivate" color="error" onClick={() => setOpen(true)} data-testid="unit-deactivate">
        <BlockIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={act.isPending}
        title="app.units.deactivate_title"
        content="app.units.deactivate_content"
        titleTranslateOptions={{ name: record.name }}
        confirm="app.units.deactivate"
        confirmColor="warning"
        onConfirm={() => act.mutate({ id: record.id, action: "deactivate", body: { version: record.version } })}
        onClose={() => setOpen(false)}
      />
    </>
  );
};
