/**
 * The printable QR sheet of a community (`GET /v1/units/{id}/qr-sheet.html`: every grid's
 * resident QR code). The API wants the bearer token, so the page is fetched and opened as a blob.
 */
import { useState } from "react";
import QrCode2Icon from "@mui/icons-material/QrCode2";
import { Button, useDataProvider, useNotify, useRecordContext } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";

/** Levels whose page offers the sheet. */
const SHEET_LEVELS = new Set(["community"]);

export const qrSheetPath = (unitId: string) => `/v1/units/${encodeURIComponent(unitId)}/qr-sheet.html`;

export const QrSheetLink = () => {
  const record = useRecordContext();
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  if (!record || record.active === false || !SHEET_LEVELS.has(String(record.level))) return null;
  const open = async () => {
    // open the window now (a click), fill it when the sheet arrives: popup blockers allow that
    const win = window.open("", "_blank");
    setBusy(true);
    try {
      const html = await dataProvider.getText(qrSheetPath(String(record.id)));
      const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
      if (win) win.location.href = url;
      else window.location.href = url;
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      win?.close();
      notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label="app.units.qr_sheet" onClick={open} disabled={busy} data-testid="unit-qr-sheet">
      <QrCode2Icon />
    </Button>
  );
};
