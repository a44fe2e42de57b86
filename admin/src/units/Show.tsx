import { Box, Typography } from "@mui/material";
import {
  CreateButton,
  DataTable,
  EditButton,
  FunctionField,
  Labeled,
  Link,
  NumberField,
  ReferenceField,
  ReferenceManyField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useCreatePath,
  useGetMany,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { ActiveField, Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { countPositions } from "../common/JsonInput.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { DeactivateUnitButton, MoveUnitButton } from "./Actions.tsx";
import { LevelField } from "./LevelField.tsx";
import { unitLabel } from "./options.tsx";
import { QrSheetLink } from "./QrSheetLink.tsx";
import { UnitMap } from "./UnitMap.tsx";

const AddChildButton = () => {
  const record = useRecordContext();
  if (!record || record.active === false) return null;
  return <CreateButton resource="units" state={{ record: { parentId: record.id } }} label="app.units.add_child" data-testid="unit-add-child" />;
};

const UnitShowActions = () => (
  <TopToolbar>
    <AddChildButton />
    <QrSheetLink />
    <MoveUnitButton />
    <DeactivateUnitButton />
    <EditButton />
  </TopToolbar>
);

/** The chain of ancestors from the county down, each a link. */
const AncestorsField = (_props: { label?: string }) => {
  const record = useRecordContext();
  const createPath = useCreatePath();
  const ids: string[] = typeof record?.path === "string" ? record.path.split("/").filter(Boolean) : [];
  const ancestors = ids.filter((id) => id !== String(record?.id));
  const { data } = useGetMany("units", { ids: ancestors }, { enabled: ancestors.length > 0 });
  if (!ancestors.length) return <>—</>;
  const byId = new Map((data ?? []).map((u) => [String(u.id), u]));
  return (
    <Box component="span" data-testid="unit-ancestors">
      {ancestors.map((id, i) => (
        <span key={id}>
          {i > 0 ? " › " : ""}
          <Link to={createPath({ resource: "units", id, type: "show" })}>{byId.get(id)?.name ?? id}</Link>
        </span>
      ))}
    </Box>
  );
};

const BoundaryField = (_props: { label?: string; fullWidth?: boolean }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const b = record?.boundary as { type?: string; coordinates?: unknown } | undefined;
  return (
    <Box sx={{ width: "100%" }}>
      <UnitMap />
      {b ? <Typography variant="body2">{translate("app.units.boundary_summary", { type: translate(`app.units.geometry_types.${b.type}`, { _: b.type }), positions: countPositions(b.coordinates) })}</Typography> : null}
      {b ? (
        <details>
          <summary>{translate("app.units.show_geojson")}</summary>
          <Box component="pre" sx={{ fontSize: 12, maxHeight: 320, overflow: "auto", m: 0 }}>
            {JSON.stringify(b, null, 2)}
          </Box>
        </details>
      ) : null}
    </Box>
  );
};

const Children = () => {
  const translate = useTranslate();
  return (
    <Labeled label="app.units.children" fullWidth>
      <ReferenceManyField
        reference="units"
        target="parentId"
        perPage={25}
        pagination={<ListPagination rowsPerPageOptions={[25, 50, 100]} />}
        empty={<Typography variant="body2">{translate("app.units.no_children")}</Typography>}
      >
        <DataTable rowClick="show" bulkActionButtons={false} data-testid="unit-children">
          <Col source="name" field={TextField} />
          <Col source="code" field={TextField} />
          <Col source="type">
            <EnumField source="type" prefix="app.unit_types" />
          </Col>
          <Col source="households" align="right">
            <NumberField source="households" emptyText="—" />
          </Col>
          <Col source="population" align="right">
            <NumberField source="population" emptyText="—" />
          </Col>
          <Col source="active">
            <ActiveField />
          </Col>
        </DataTable>
      </ReferenceManyField>
    </Labeled>
  );
};

export default function UnitShow() {
  return (
    <Show actions={<UnitShowActions />}>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="code" />
        <LevelField source="level" />
        <EnumField source="type" prefix="app.unit_types" />
        <ReferenceField source="parentId" reference="units" link="show" emptyText="—">
          <FunctionField render={unitLabel} />
        </ReferenceField>
        <AncestorsField label="resources.units.fields.path" />
        <NumberField source="households" emptyText="—" />
        <NumberField source="population" emptyText="—" />
        <ActiveField source="active" />
        <BoundaryField label="resources.units.fields.boundary" fullWidth />
        <DateTimeField source="updatedAt" />
        <Children />
      </SimpleShowLayout>
    </Show>
  );
}
