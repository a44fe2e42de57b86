/**
 * The menu, grouped by the work (cases / registry / duties / appraisal / administration) in
 * collapsible sub-menus after react-admin's demo. Role-aware: an entry shows only when the
 * caller holds one of its permissions (from `/v1/me`; the API stays the guard); a group with no
 * visible entry is hidden.
 *
 * Adding a screen to the menu is ONE line in `MENU_ENTRIES` below:
 *   { group: "registry", to: "/households", label: "<message key>", permission: "registry:read", icon: HomeIcon },
 * `label` is a message key (translated with smart_count 2, so `resources.<name>.name` gives the plural);
 * `permission` is one permission or a list (any of them), or "authenticated" for everybody signed in.
 * The dashboard's permission chips are derived from the same list (see `screensFor`).
 */
import { type ComponentType, type ReactNode } from "react";
import { useLocation } from "react-router-dom";
import { Collapse, List, ListItemIcon, MenuItem, Tooltip, Typography } from "@mui/material";
import AccountTreeIcon from "@mui/icons-material/AccountTree";
import ListIcon from "@mui/icons-material/List";
import MapIcon from "@mui/icons-material/Map";
import AdminPanelSettingsIcon from "@mui/icons-material/AdminPanelSettings";
import AssessmentIcon from "@mui/icons-material/Assessment";
import AssignmentIcon from "@mui/icons-material/Assignment";
import BusinessIcon from "@mui/icons-material/Business";
import CategoryIcon from "@mui/icons-material/Category";
import DirectionsWalkIcon from "@mui/icons-material/DirectionsWalk";
import EventIcon from "@mui/icons-material/Event";
import ExpandLessIcon from "@mui/icons-material/ExpandLess";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import GroupIcon from "@mui/icons-material/Group";
import HistoryIcon from "@mui/icons-material/History";
import HomeWorkIcon from "@mui/icons-material/HomeWork";
import KeyIcon from "@mui/icons-material/Key";
import LabelIcon from "@mui/icons-material/Label";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import HomeIcon from "@mui/icons-material/Home";
import PersonIcon from "@mui/icons-material/Person";
import StorefrontIcon from "@mui/icons-material/Storefront";
import StarIcon from "@mui/icons-material/Star";
import AddHomeIcon from "@mui/icons-material/AddHome";
import RouteIcon from "@mui/icons-material/Route";
import AssignmentTurnedInIcon from "@mui/icons-material/AssignmentTurnedIn";
import FileDownloadIcon from "@mui/icons-material/FileDownload";
import WebhookIcon from "@mui/icons-material/Webhook";
import LeaderboardIcon from "@mui/icons-material/Leaderboard";
import TuneIcon from "@mui/icons-material/Tune";
import InsightsIcon from "@mui/icons-material/Insights";
import NotificationsIcon from "@mui/icons-material/Notifications";
import TvIcon from "@mui/icons-material/Tv";
import VisibilityIcon from "@mui/icons-material/Visibility";
import SettingsIcon from "@mui/icons-material/Settings";
import MonitorHeartIcon from "@mui/icons-material/MonitorHeart";
import RocketLaunchIcon from "@mui/icons-material/RocketLaunch";
import { Menu, usePermissions, useSidebarState, useStore, useTranslate } from "react-admin";
import type { Permission } from "../../../core/auth/roles.ts";

export type MenuGroup = "cases" | "registry" | "duties" | "appraisal" | "administration";

export interface MenuEntry {
  /** The sub-menu it belongs to; `null` puts it at the top level under the dashboard. */
  group: MenuGroup | null;
  /** Route of the screen (`/cases`, `/settings`…). */
  to: string;
  /** Message key of its label (translated with smart_count 2). */
  label: string;
  /** Shown when the caller holds this permission, or any of the list; "authenticated": everybody signed in. */
  permission: Permission | readonly Permission[];
  icon?: ComponentType;
}

/** The groups in menu order, with their icon. */
export const MENU_GROUPS: readonly { key: MenuGroup; icon: ComponentType }[] = [
  { key: "cases", icon: AssignmentIcon },
  { key: "registry", icon: HomeWorkIcon },
  { key: "duties", icon: DirectionsWalkIcon },
  { key: "appraisal", icon: AssessmentIcon },
  { key: "administration", icon: AdminPanelSettingsIcon },
];

/** Every screen of the menu, one line each (order within a group = menu order). */
export const MENU_ENTRIES: readonly MenuEntry[] = [
  // top level (beside the dashboard)
  { group: null, to: "/notifications", label: "app.inbox.title", permission: "authenticated", icon: NotificationsIcon },
  { group: null, to: "/bigscreen", label: "app.bigscreen.title", permission: "cases:read", icon: TvIcon },
  // cases
  { group: "cases", to: "/cases", label: "resources.cases.name", permission: "cases:read", icon: AssignmentIcon },
  { group: "cases", to: "/units/map", label: "app.grids_map.title", permission: "units:read", icon: MapIcon },
  // registry
  { group: "registry", to: "/households", label: "resources.households.name", permission: "registry:read", icon: HomeIcon },
  { group: "registry", to: "/people", label: "resources.people.name", permission: "registry:read", icon: PersonIcon },
  { group: "registry", to: "/places", label: "resources.places.name", permission: "registry:read", icon: StorefrontIcon },
  { group: "registry", to: "/key-lists", label: "resources.key-lists.name", permission: "registry:read", icon: StarIcon },
  { group: "registry", to: "/exports", label: "resources.exports.name", permission: ["exports:request", "exports:approve"], icon: FileDownloadIcon },
  // duties
  { group: "duties", to: "/visits", label: "app.duties.visit.page_title", permission: "registry:read", icon: AddHomeIcon },
  { group: "duties", to: "/patrols", label: "app.duties.patrol.page_title", permission: "registry:read", icon: RouteIcon },
  { group: "duties", to: "/tasks", label: "resources.tasks.name", permission: ["tasks:manage", "tasks:request", "registry:write"], icon: AssignmentTurnedInIcon },
  // appraisal
  { group: "appraisal", to: "/appraisals", label: "app.appraisals.title", permission: "appraisals:read", icon: LeaderboardIcon },
  { group: "appraisal", to: "/scoring-rules", label: "app.appraisals.rules.title", permission: "appraisals:read", icon: TuneIcon },
  { group: "appraisal", to: "/indicators", label: "app.appraisals.indicators.title", permission: ["appraisals:read", "indicators:write"], icon: InsightsIcon },
  // administration
  { group: "administration", to: "/setup", label: "app.setup.title", permission: "units:import", icon: RocketLaunchIcon },
  { group: "administration", to: "/units/tree", label: "app.units_tree.title", permission: "units:read", icon: AccountTreeIcon },
  { group: "administration", to: "/units", label: "resources.units.name", permission: "units:read", icon: ListIcon },
  { group: "administration", to: "/units/import", label: "app.import.title", permission: "units:import", icon: UploadFileIcon },
  { group: "administration", to: "/departments", label: "resources.departments.name", permission: "departments:read", icon: BusinessIcon },
  { group: "administration", to: "/categories", label: "resources.categories.name", permission: "categories:read", icon: CategoryIcon },
  { group: "administration", to: "/calendar", label: "app.calendar.title", permission: "calendar:write", icon: EventIcon },
  { group: "administration", to: "/users", label: "resources.users.name", permission: "users:read", icon: GroupIcon },
  { group: "administration", to: "/api-keys", label: "resources.api-keys.name", permission: "api-keys:manage", icon: KeyIcon },
  { group: "administration", to: "/audit", label: "resources.audit.name", permission: "audit:read", icon: HistoryIcon },
  { group: "administration", to: "/audit/reveals", label: "app.audit_log.reveals", permission: "audit:read", icon: VisibilityIcon },
  { group: "administration", to: "/settings", label: "app.settings_page.title", permission: "units:write", icon: SettingsIcon },
  { group: "administration", to: "/ops", label: "app.ops.title", permission: "ops:read", icon: MonitorHeartIcon },
  { group: "administration", to: "/webhooks", label: "resources.webhooks.name", permission: "webhooks:manage", icon: WebhookIcon },
];

/** May a holder of `permissions` see `entry`? */
export function mayOpen(entry: Pick<MenuEntry, "permission">, permissions: readonly string[] | undefined): boolean {
  const needed: readonly string[] = typeof entry.permission === "string" ? [entry.permission] : entry.permission;
  if (needed.includes("authenticated")) return permissions !== undefined;
  return needed.some((p) => permissions?.includes(p));
}

/** The screens a permission opens (for the dashboard's permission chips): entries that need it. */
export function screensFor(permission: string): MenuEntry[] {
  return MENU_ENTRIES.filter((e) => (typeof e.permission === "string" ? e.permission === permission : e.permission.includes(permission as Permission)));
}

/** Path-prefix match: `/units/import` belongs to itself, `/units/12/show` to `/units`. */
function activeEntry(pathname: string, entries: readonly MenuEntry[]): MenuEntry | undefined {
  return entries
    .filter((e) => pathname === e.to || pathname.startsWith(`${e.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0];
}

const testId = (to: string) => `menu-${to.replace(/^\//, "").replace(/[/]+/g, "-") || "home"}`;

/**
 * One entry. react-admin marks an entry active when the address starts with its path, so 网格单元
 * (`/units`) would light up on 网格地图 (`/units/map`) too: only the entry `activeEntry` picks (the
 * longest match) keeps the active look, and it alone carries `aria-current="page"`.
 */
const EntryItem = ({ entry, nested, current }: { entry: MenuEntry; nested: boolean; current: boolean }) => {
  const Icon = entry.icon ?? LabelIcon;
  const [open] = useSidebarState();
  const translate = useTranslate();
  return (
    <Menu.Item
      to={entry.to}
      // translated here with smart_count, so `resources.<name>.name` ("Case |||| Cases") gives its plural
      primaryText={translate(entry.label, { smart_count: 2, _: entry.label })}
      leftIcon={<Icon />}
      data-testid={testId(entry.to)}
      data-current={current ? "true" : "false"}
      aria-current={current ? "page" : undefined}
      sx={{ ...(nested && open ? { pl: 4 } : {}), ...(current ? {} : { "&.RaMenuItemLink-active": { color: "text.secondary" } }) }}
    />
  );
};

/** A collapsible sub-menu (react-admin demo's SubMenu): a header that toggles its entries; open state kept per group. */
const SubMenu = ({ group, icon: Icon, active, children }: { group: MenuGroup; icon: ComponentType; active: boolean; children: ReactNode }) => {
  const translate = useTranslate();
  const [sidebarOpen] = useSidebarState();
  const [stored, setStored] = useStore<boolean | undefined>(`wangge.menu.${group}`, undefined);
  // groups start open (every screen visible at first sight); the one holding the current screen is always open
  const isOpen = active || (stored ?? true);
  const label = translate(`app.menu.${group}`);
  const header = (
    <MenuItem onClick={() => setStored(!isOpen)} data-testid={`menu-group-${group}`} aria-expanded={isOpen}>
      <ListItemIcon sx={{ minWidth: 5 }}>{isOpen ? <ExpandLessIcon /> : <Icon />}</ListItemIcon>
      <Typography variant="inherit" color="textSecondary" sx={{ pl: sidebarOpen ? 2 : 0 }}>
        {sidebarOpen ? label : null}
      </Typography>
      {sidebarOpen && !isOpen ? <ExpandMoreIcon fontSize="small" sx={{ ml: "auto", color: "text.secondary" }} /> : null}
    </MenuItem>
  );
  return (
    <>
      {sidebarOpen ? header : <Tooltip title={label} placement="right">{header}</Tooltip>}
      <Collapse in={isOpen} timeout="auto" unmountOnExit>
        <List dense component="div" disablePadding>
          {children}
        </List>
      </Collapse>
    </>
  );
};

export const AppMenu = () => {
  const { permissions } = usePermissions<string[]>();
  const { pathname } = useLocation();
  const visible = MENU_ENTRIES.filter((e) => mayOpen(e, permissions));
  const current = activeEntry(pathname, visible);
  return (
    <Menu>
      <Menu.DashboardItem />
      {visible
        .filter((e) => e.group === null)
        .map((e) => (
          <EntryItem key={e.to} entry={e} nested={false} current={e === current} />
        ))}
      {MENU_GROUPS.map(({ key, icon }) => {
        const entries = visible.filter((e) => e.group === key);
        if (entries.length === 0) return null;
        return (
          <SubMenu key={key} group={key} icon={icon} active={current?.group === key}>
            {entries.map((e) => (
              <EntryItem key={e.to} entry={e} nested current={e === current} />
            ))}
          </SubMenu>
        );
      })}
    </Menu>
  );
};
