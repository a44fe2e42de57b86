import { Edit, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { DepartmentInputs } from "./Inputs.tsx";

export default function DepartmentEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm toolbar={<SaveToolbar />}>
        <DepartmentInputs mode="edit" />
      </SimpleForm>
    </Edit>
  );
}
