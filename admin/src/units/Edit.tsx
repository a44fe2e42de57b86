import { Edit, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitInputs, transformUnit } from "./Inputs.tsx";

export default function UnitEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show" transform={transformUnit}>
      <SimpleForm toolbar={<SaveToolbar />}>
        <UnitInputs mode="edit" />
      </SimpleForm>
    </Edit>
  );
}
