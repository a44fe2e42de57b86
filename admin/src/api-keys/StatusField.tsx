import { Chip } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";

export const ApiKeyStatusField = (_props: { label?: string; source?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const revoked = !!record.revokedAt;
  return (
    <Chip
      size="small"
      color={revoked ? "default" : "success"}
      variant={revoked ? "filled" : "outlined"}
      label={translate(revoked ? "app.api_keys.revoked" : "app.api_keys.active")}
      data-testid={revoked ? "api-key-revoked" : "api-key-active"}
    />
  );
};
