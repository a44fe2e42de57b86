import { useState } from "react";
import { Create, SimpleForm, useRedirect, type RaRecord } from "react-admin";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { ApiKeyInputs } from "./Inputs.tsx";
import { SecretDialog } from "./SecretDialog.tsx";

/** Creating a key answers with its secret `key` once: show it, then go to the key's page. */
export default function ApiKeyCreate() {
  const [created, setCreated] = useState<RaRecord | undefined>();
  const redirect = useRedirect();
  return (
    <>
      <Create mutationOptions={{ onSuccess: (data: RaRecord) => setCreated(data) }}>
        <SimpleForm toolbar={<SaveToolbar />} defaultValues={{ permissions: ["cases:report", "cases:read"], rateLimitPerMinute: 600, channels: [] }}>
          <ApiKeyInputs />
        </SimpleForm>
      </Create>
      <SecretDialog
        secret={created ? String(created.key ?? "") : undefined}
        onDone={() => {
          const id = created?.id;
          setCreated(undefined);
          if (id !== undefined) redirect("show", "api-keys", id);
          else redirect("list", "api-keys");
        }}
      />
    </>
  );
}
