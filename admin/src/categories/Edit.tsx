import { Edit, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { CategoryInputs, transformCategory } from "./Inputs.tsx";

export default function CategoryEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show" transform={transformCategory}>
      <SimpleForm toolbar={<SaveToolbar />}>
        <CategoryInputs mode="edit" />
      </SimpleForm>
    </Edit>
  );
}
