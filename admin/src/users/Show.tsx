import { Typography } from "@mui/material";
import { ArrayField, DataTable, EditButton, FunctionField, ReferenceField, Show, SimpleShowLayout, TextField, TopToolbar } from "react-admin";
import { SetPasswordButton } from "./SetPasswordButton.tsx";
import { ReissueActivationButton } from "../activation/ReissueButton.tsx";
import { DeactivateButton, HandoverButton } from "./Handover.tsx";
import { ActiveField, Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { unitLabel } from "../units/options.tsx";

const Actions = () => (
  <TopToolbar>
    <SetPasswordButton />
    <ReissueActivationButton />
    <HandoverButton />
    <DeactivateButton />
    <EditButton />
  </TopToolbar>
);

export default function UserShow() {
  return (
    <Show actions={<Actions />}>
      <SimpleShowLayout>
        <TextField source="username" data-user-text />
        <TextField source="displayName" />
        <TextField source="phone" emptyText="—" />
        <ActiveField source="active" />
        <ArrayField source="assignments">
          <DataTable bulkActionButtons={false} rowClick={false} data-testid="user-assignments-table" empty={<Typography variant="body2" sx={{ py: 1 }}>—</Typography>}>
            <Col source="role" label="resources.users.fields.role">
              <EnumField source="role" prefix="app.roles" />
            </Col>
            <Col source="unitId" label="resources.users.fields.unitId">
              <ReferenceField source="unitId" reference="units" link="show">
                <FunctionField render={unitLabel} />
              </ReferenceField>
            </Col>
            <Col source="departmentId" label="resources.users.fields.departmentId">
              <ReferenceField source="departmentId" reference="departments" link="show" emptyText="—" />
            </Col>
          </DataTable>
        </ArrayField>
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
