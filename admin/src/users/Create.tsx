import { Create, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UserInputs, transformUser } from "./Inputs.tsx";

export default function UserCreate() {
  return (
    <Create redirect="show" transform={transformUser}>
      <SimpleForm toolbar={<SaveToolbar />} defaultValues={{ assignments: [] }}>
        <UserInputs mode="create" />
      </SimpleForm>
    </Create>
  );
}
