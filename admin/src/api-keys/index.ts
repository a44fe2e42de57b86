import { lazy } from "react";
import KeyIcon from "@mui/icons-material/Key";

/** API keys of partner applications: created (secret shown once) and revoked, never edited. */
export const apiKeys = {
  list: lazy(() => import("./List.tsx")),
  show: lazy(() => import("./Show.tsx")),
  create: lazy(() => import("./Create.tsx")),
  icon: KeyIcon,
  recordRepresentation: "name",
};
export default apiKeys;
