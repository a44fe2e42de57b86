import { Create, SimpleForm } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitInputs, transformUnit } from "./Inputs.tsx";

/** A new unit under a parent (prefilled when coming from the parent's "add sub-unit" button). */
export default function UnitCreate() {
  return (
    <Create redirect="show" transform={transformUnit}>
      <SimpleForm toolbar={<SaveToolbar />}>
        <UnitInputs mode="create" />
      </SimpleForm>
    </Create>
  );
}
