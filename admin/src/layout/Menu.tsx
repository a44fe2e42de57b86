/** The menu: resources the caller may list (react-admin asks `canAccess`), plus the calendar page. */
import EventIcon from "@mui/icons-material/Event";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { Menu, useCanAccess } from "react-admin";

const CalendarMenuItem = () => {
  const { canAccess } = useCanAccess({ resource: "calendar", action: "edit" });
  if (!canAccess) return null;
  return <Menu.Item to="/calendar" primaryText="app.calendar.title" leftIcon={<EventIcon />} data-testid="menu-calendar" />;
};

const ImportMenuItem = () => {
  const { canAccess } = useCanAccess({ resource: "units", action: "import" });
  if (!canAccess) return null;
  return <Menu.Item to="/units/import" primaryText="app.import.title" leftIcon={<UploadFileIcon />} data-testid="menu-import" />;
};

export const AppMenu = () => (
  <Menu>
    <Menu.DashboardItem />
    <Menu.ResourceItem name="cases" />
    <Menu.ResourceItem name="units" />
    <ImportMenuItem />
    <Menu.ResourceItem name="departments" />
    <Menu.ResourceItem name="categories" />
    <CalendarMenuItem />
    <Menu.ResourceItem name="users" />
    <Menu.ResourceItem name="api-keys" />
    <Menu.ResourceItem name="audit" />
  </Menu>
);
