import { Create, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { DepartmentInputs } from "./Inputs.tsx";

export default function DepartmentCreate() {
  return (
    <Create redirect="show">
      <SimpleForm toolbar={<SaveToolbar />}>
        <DepartmentInputs mode="create" />
      </SimpleForm>
    </Create>
  );
}
