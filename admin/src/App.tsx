/**
 * The admin console. Each resource is a module (`<resource>/index.ts`) whose pages load on demand;
 * what the caller may see and do comes from `authProvider.canAccess` (permissions of `/v1/me`).
 */
import { lazy } from "react";
import { Route } from "react-router-dom";
import { Admin, CustomRoutes, Resource } from "react-admin";
import { authProvider } from "./authProvider.ts";
import { dataProvider } from "./dataProvider.ts";
import { i18nProvider } from "./i18n/index.ts";
import { AppLayout } from "./layout/Layout.tsx";
import { AppTitle } from "./layout/AppTitle.tsx";
import { LoginPage } from "./layout/LoginPage.tsx";
import { units } from "./units/index.ts";
import { departments } from "./departments/index.ts";
import { categories } from "./categories/index.ts";
import { users } from "./users/index.ts";
import { apiKeys } from "./api-keys/index.ts";
import { audit } from "./audit/index.ts";
import { cases } from "./cases/index.ts";
import { households, keyLists, people, places } from "./registry/index.ts";
import { PatrolsPage, tasks, VisitsPage } from "./duties/index.ts";
import { exportsResource } from "./exports/index.ts";
import { webhooks } from "./webhooks/index.ts";

const Dashboard = lazy(() => import("./dashboard/Dashboard.tsx"));
const CalendarPage = lazy(() => import("./calendar/CalendarPage.tsx"));
const ImportPage = lazy(() => import("./units/ImportPage.tsx"));
const ExcelImportPage = lazy(() => import("./excel/ExcelImportPage.tsx"));
const UnitsTreePage = lazy(() => import("./units/TreePage.tsx"));
const GridsMapPage = lazy(() => import("./units/GridsMapPage.tsx"));
const SetupPage = lazy(() => import("./setup/SetupPage.tsx"));
const CataloguePage = lazy(() => import("./categories/CataloguePage.tsx"));
const SettingsPage = lazy(() => import("./settings/SettingsPage.tsx"));
const OpsPage = lazy(() => import("./ops/OpsPage.tsx"));
const NotificationsPage = lazy(() => import("./inbox/NotificationsPage.tsx"));
const BigScreen = lazy(() => import("./bigscreen/BigScreen.tsx"));
const RevealsPage = lazy(() => import("./audit/RevealsPage.tsx"));
const AppraisalsPage = lazy(() => import("./appraisals/AppraisalsPage.tsx"));
const AppraisalResultPage = lazy(() => import("./appraisals/ResultPage.tsx"));
const PointsPage = lazy(() => import("./appraisals/PointsPage.tsx"));
const RulesPage = lazy(() => import("./appraisals/RulesPage.tsx"));
const IndicatorsPage = lazy(() => import("./appraisals/IndicatorsPage.tsx"));

export const App = () => (
  <Admin
    disableTelemetry
    requireAuth
    title={<AppTitle />}
    authProvider={authProvider}
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    layout={AppLayout}
    loginPage={LoginPage}
    dashboard={Dashboard}
  >
    <Resource name="cases" {...cases} />
    <Resource name="units" {...units} />
    <Resource name="departments" {...departments} />
    <Resource name="categories" {...categories} />
    <Resource name="users" {...users} />
    <Resource name="api-keys" {...apiKeys} />
    <Resource name="audit" {...audit} />
    <Resource name="households" {...households} />
    <Resource name="people" {...people} />
    <Resource name="places" {...places} />
    <Resource name="key-lists" {...keyLists} />
    <Resource name="tasks" {...tasks} />
    <Resource name="task-types" recordRepresentation="name" />
    <Resource name="exports" {...exportsResource} />
    <Resource name="webhooks" {...webhooks} />
    <CustomRoutes>
      <Route path="/calendar" element={<CalendarPage />} />
      <Route path="/units/import" element={<ImportPage />} />
      <Route path="/excel/:list" element={<ExcelImportPage />} />
      <Route path="/units/tree" element={<UnitsTreePage />} />
      <Route path="/units/map" element={<GridsMapPage />} />
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/category-catalogue" element={<CataloguePage />} />
      <Route path="/settings" element={<SettingsPage />} />
      <Route path="/ops" element={<OpsPage />} />
      <Route path="/notifications" element={<NotificationsPage />} />
      <Route path="/audit/reveals" element={<RevealsPage />} />
      <Route path="/appraisals" element={<AppraisalsPage />} />
      <Route path="/appraisals/points/:userId" element={<PointsPage />} />
      <Route path="/appraisals/:subject/:id/:period" element={<AppraisalResultPage />} />
      <Route path="/scoring-rules" element={<RulesPage />} />
      <Route path="/indicators" element={<IndicatorsPage />} />
      <Route path="/visits" element={<VisitsPage />} />
      <Route path="/patrols" element={<PatrolsPage />} />
    </CustomRoutes>
    <CustomRoutes noLayout>
      <Route path="/bigscreen" element={<BigScreen />} />
    </CustomRoutes>
  </Admin>
);
