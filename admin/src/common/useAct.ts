/** Domain actions (`POST /v1/<resource>/<id>/<action>`), pessimistic: the page refreshes once the API agreed. */
import { useMutation } from "@tanstack/react-query";
import { useDataProvider, useNotify, useRefresh, type Identifier } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "./notifyError.ts";

export interface ActVariables {
  id: Identifier;
  action: string;
  body?: unknown;
}

export function useAct(resource: string, opts: { success?: string; onSuccess?: () => void } = {}) {
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, action, body }: ActVariables) => dataProvider.act(resource, id, action, body),
    onSuccess: () => {
      if (opts.success) notify(opts.success, { type: "info" });
      refresh();
      opts.onSuccess?.();
    },
    onError: (error) => notifyError(notify, error),
  });
}
