/** Set a new password for a user (`POST /v1/users/{id}/password`), e.g. when they forgot theirs. */
import { useState } from "react";
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import PasswordIcon from "@mui/icons-material/Password";
import { Button, Form, PasswordInput, useCanAccess, useRecordContext, useTranslate } from "react-admin";
import { useAct } from "../common/useAct.ts";
import { errorInfo } from "../errors.ts";
import { validatePassword } from "./Inputs.tsx";

export const SetPasswordButton = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: "users", action: "password", record });
  const act = useAct("users", { success: "app.users.password_set", onSuccess: () => setOpen(false) });
  if (!record || !canAccess || record.active === false) return null;

  const submit = async (values: Record<string, unknown>) => {
    try {
      await act.mutateAsync({ id: record.id, action: "password", body: { password: values.password } });
    } catch (e) {
      return errorInfo(e)?.errors;
    }
  };

  return (
    <>
      <Button label="app.users.set_password" onClick={() => setOpen(true)} data-testid="user-set-password">
        <PasswordIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs" aria-labelledby="user-password-title">
        <Form record={{}} onSubmit={submit}>
          <DialogTitle id="user-password-title">{translate("app.users.set_password_title", { name: record.displayName ?? record.username })}</DialogTitle>
          <DialogContent>
            <PasswordInput source="password" label="app.users.new_password" validate={validatePassword} autoComplete="new-password" fullWidth />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</MuiButton>
            <MuiButton type="submit" variant="contained" disabled={act.isPending} data-testid="user-set-password-submit">
              {translate("ra.action.save")}
            </MuiButton>
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};
