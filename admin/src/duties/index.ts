import { lazy } from "react";
import AssignmentTurnedInIcon from "@mui/icons-material/AssignmentTurnedIn";

/** Duties: the tasks resource and the visits / patrols pages (loaded on demand). */
const t = () => import("./tasks.tsx");
export const tasks = {
  list: lazy(() => t().then((m) => ({ default: m.TaskList }))),
  show: lazy(() => t().then((m) => ({ default: m.TaskShow }))),
  create: lazy(() => t().then((m) => ({ default: m.TaskCreate }))),
  icon: AssignmentTurnedInIcon,
  recordRepresentation: "title",
};
export const VisitsPage = lazy(() => import("./Visits.tsx"));
export const PatrolsPage = lazy(() => import("./PatrolsPage.tsx"));
