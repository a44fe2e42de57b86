import { Edit, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UserInputs, transformUser } from "./Inputs.tsx";

export default function UserEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show" transform={transformUser}>
      <SimpleForm toolbar={<SaveToolbar />}>
        <UserInputs mode="edit" />
      </SimpleForm>
    </Edit>
  );
}
