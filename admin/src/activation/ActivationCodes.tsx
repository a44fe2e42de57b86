/**
 * After a staff import: the one-time activation codes of the accounts it created, as a sheet for
 * the admin who ran it (`GET /v1/jobs/{id}/activation-codes.xlsx`), to print and hand out one by one.
 */
import { Alert, Button } from "@mui/material";
import KeyIcon from "@mui/icons-material/Key";
import { useNotify, useTranslate } from "react-admin";
import { notifyError } from "../common/notifyError.ts";
import { downloadWorkbook } from "../excel/download.ts";

export const ActivationCodes = ({ jobId, count }: { jobId: string; count: number }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const download = () => void downloadWorkbook(`/v1/jobs/${jobId}/activation-codes.xlsx`, `${jobId}-activation-codes.xlsx`).catch((e) => notifyError(notify, e));
  return (
    <Alert
      severity="info"
      sx={{ mt: 1 }}
      data-testid="excel-activation-codes"
      action={
        <Button size="small" variant="contained" startIcon={<KeyIcon />} onClick={download} data-testid="excel-activation-download">
          {translate("app.activation.download", { count })}
        </Button>
      }
    >
      {translate("app.activation.sheet_help", { count })}
    </Alert>
  );
};
