import { Create, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { CategoryInputs, transformCategory } from "./Inputs.tsx";

export default function CategoryCreate() {
  return (
    <Create redirect="show" transform={transformCategory}>
      <SimpleForm toolbar={<SaveToolbar />}>
        <CategoryInputs mode="create" />
      </SimpleForm>
    </Create>
  );
}
