import { useState } from "react";
import KeyOffIcon from "@mui/icons-material/KeyOff";
import { Button, Confirm, useCanAccess, useRecordContext } from "react-admin";
import { useAct } from "../common/useAct.ts";

export const RevokeButton = () => {
  const record = useRecordContext();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: "api-keys", action: "revoke", record });
  const act = useAct("api-keys", { success: "app.api_keys.revoked_notice", onSuccess: () => setOpen(false) });
  if (!record || !canAccess || record.revokedAt) return null;
  return (
    <>
      <Button label="app.api_keys.revoke" color="error" onClick={() => setOpen(true)} data-testid="api-key-revoke">
        <KeyOffIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={act.isPending}
        title="app.api_keys.revoke_title"
        content="app.api_keys.revoke_content"
        titleTranslateOptions={{ name: record.name }}
        confirm="app.api_keys.revoke"
        confirmColor="warning"
        onConfirm={() => act.mutate({ id: record.id, action: "revoke", body: record.version !== undefined ? { version: record.version } : {} })}
        onClose={() => setOpen(false)}
      />
    </>
  );
};
