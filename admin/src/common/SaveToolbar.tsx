import { SaveButton, Toolbar } from "react-admin";

/** Forms save only: nothing is deleted from the console (records are deactivated instead). */
export const SaveToolbar = () => (
  <Toolbar>
    <SaveButton />
  </Toolbar>
);
