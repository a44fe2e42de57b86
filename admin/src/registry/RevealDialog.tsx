/**
 * Reveal (查看明文): the caller says why, the API writes the audit entry and answers the plaintext
 * of the sealed fields, which stays on screen for REVEAL_SECONDS and is then dropped from memory.
 */
import { useEffect, useState } from "react";
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Table, TableBody, TableCell, TableRow, TextField } from "@mui/material";
import VisibilityIcon from "@mui/icons-material/Visibility";
import { useMutation } from "@tanstack/react-query";
import { useNotify, usePermissions, useRecordContext, useTranslate } from "react-admin";
import { api } from "../http.ts";
import { notifyError } from "../common/notifyError.ts";
import { REVEAL_SECONDS, REVEALABLE, secondsLeft } from "./model.ts";
import { PurposeSelect, type Purpose } from "./Purpose.tsx";

export const RevealButton = ({ resource }: { resource: "people" | "households" | "places" }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions<string[]>();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [purpose, setPurpose] = useState<Purpose | "">("");
  const [shown, setShown] = useState<{ fields: Record<string, string | null>; until: number } | undefined>();
  const [now, setNow] = useState(Date.now());
  const reveal = useMutation({
    mutationFn: async () =>
      (await api<{ fields: Record<string, string | null> }>(`/v1/registry/${resource}/${encodeURIComponent(String(record!.id))}/reveal`, { method: "POST", body: { purpose, reason: reason.trim() } })).json,
    onSuccess: (r) => {
      const at = Date.now();
      setNow(at);
      setShown({ fields: r.fields, until: at + REVEAL_SECONDS * 1000 });
    },
    onError: (e) => notifyError(notify, e),
  });
  useEffect(() => {
    if (!shown) return;
    const t = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= shown.until) setShown(undefined);
    }, 250);
    return () => clearInterval(t);
  }, [shown]);
  if (!record || !permissions?.includes("registry:reveal")) return null;
  const close = () => {
    setOpen(false);
    setShown(undefined);
    setReason("");
    setPurpose("");
  };
  const left = shown ? secondsLeft(shown.until, now) : 0;
  const tooShort = reason.trim().length < 4 || !purpose;
  return (
    <>
      <Button startIcon={<VisibilityIcon />} onClick={() => setOpen(true)} data-testid="reveal-button">
        {translate("app.registry.reveal.button")}
      </Button>
      <Dialog open={open} onClose={close} maxWidth="sm" fullWidth data-testid="reveal-dialog">
        <DialogTitle>{translate("app.registry.reveal.title")}</DialogTitle>
        <DialogContent>
          {shown ? (
            <>
              <Alert severity="info" sx={{ mb: 1 }}>
                {translate("app.registry.reveal.shown_for", { seconds: left })}
              </Alert>
              <LinearProgress variant="determinate" value={(left / REVEAL_SECONDS) * 100} sx={{ mb: 1 }} />
              <Table size="small">
                <TableBody>
                  {REVEALABLE[resource].map((f) => (
                    <TableRow key={f}>
                      <TableCell>{translate(`resources.${resource}.fields.${f}`)}</TableCell>
                      <TableCell sx={{ fontFamily: "monospace", fontSize: 16 }} data-testid={`revealed-${f}`}>
                        {shown.fields[f] ?? "—"}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          ) : (
            <>
              <Alert severity="warning" sx={{ mb: 2 }}>
                {translate("app.registry.reveal.warning")}
              </Alert>
              <PurposeSelect value={purpose} onChange={setPurpose} testid="reveal-purpose" />
              <TextField
                autoFocus
                fullWidth
                multiline
                minRows={2}
                label={translate("app.registry.reveal.reason")}
                helperText={translate("app.registry.reveal.reason_help")}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                slotProps={{ htmlInput: { maxLength: 500, "data-testid": "reveal-reason" } }}
              />
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} data-testid="reveal-close">
            {translate(shown ? "ra.action.close" : "ra.action.cancel")}
          </Button>
          {!shown && (
            <Button variant="contained" disabled={tooShort || reveal.isPending} onClick={() => reveal.mutate()} data-testid="reveal-submit">
              {translate("app.registry.reveal.submit")}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
};
