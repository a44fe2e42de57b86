import { lazy } from "react";
import WebhookIcon from "@mui/icons-material/Webhook";

/** Partner webhooks (pages load on demand). */
const w = () => import("./webhooks.tsx");
export const webhooks = {
  list: lazy(() => w().then((m) => ({ default: m.WebhookList }))),
  show: lazy(() => w().then((m) => ({ default: m.WebhookShow }))),
  create: lazy(() => w().then((m) => ({ default: m.WebhookCreate }))),
  edit: lazy(() => w().then((m) => ({ default: m.WebhookEdit }))),
  icon: WebhookIcon,
  recordRepresentation: "name",
};
