import { lazy } from "react";
import FileDownloadIcon from "@mui/icons-material/FileDownload";

/** Exports with approval (pages load on demand). */
const e = () => import("./exports.tsx");
export const exportsResource = {
  list: lazy(() => e().then((m) => ({ default: m.ExportList }))),
  show: lazy(() => e().then((m) => ({ default: m.ExportShow }))),
  create: lazy(() => e().then((m) => ({ default: m.ExportCreate }))),
  icon: FileDownloadIcon,
  recordRepresentation: (r: { unitName?: string; purpose?: string }) => [r.unitName, r.purpose].filter(Boolean).join(" · "),
};
