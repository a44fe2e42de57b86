/**
 * Acting on a case, pessimistically: the page refreshes once the API agreed. A 409 (someone else
 * acted first, or the state moved on) refreshes too, so the buttons match the case again.
 */
import { useMutation } from "@tanstack/react-query";
import { useDataProvider, useNotify, useRefresh, useTranslate, type Identifier } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";

export interface CaseActVariables {
  id: Identifier;
  action: string;
  body?: unknown;
}

export function useCaseAct(opts: { onSuccess?: () => void } = {}) {
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  return useMutation({
    mutationFn: ({ id, action, body }: CaseActVariables) => dataProvider.act("cases", id, action, body ?? {}),
    onSuccess: (_data, v) => {
      notify("app.cases.done", { type: "success", messageArgs: { action: translate(`app.cases.actions.${v.action}`, { _: v.action }) } });
      refresh();
      opts.onSuccess?.();
    },
    onError: (error) => {
      notifyError(notify, error);
      if ((error as { status?: number }).status === 409) refresh();
    },
  });
}
