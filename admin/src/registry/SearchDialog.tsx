/**
 * Exact search by ID number or phone: the value goes in a POST body (`POST /v1/registry/search`),
 * never in a URL, and the form is cleared when the dialog closes. Hits are shown masked.
 */
import { useState } from "react";
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, List, ListItemButton, ListItemText, MenuItem, TextField } from "@mui/material";
import SearchIcon from "@mui/icons-material/PersonSearch";
import { useMutation } from "@tanstack/react-query";
import { useCreatePath, useNotify, useTranslate } from "react-admin";
import { useNavigate } from "react-router-dom";
import { api } from "../http.ts";
import { notifyError } from "../common/notifyError.ts";
import { validateIdNumber, validatePhoneNumber } from "./model.ts";
import { PurposeSelect, type Purpose } from "./Purpose.tsx";

type Hit = { entity: "person" | "household" | "place"; id: string; name?: string; address?: string; idNumber?: string; phone?: string; contactPhone?: string; ownerPhone?: string };
const RESOURCE = { person: "people", household: "households", place: "places" } as const;

export const SearchButton = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const createPath = useCreatePath();
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState<"idNumber" | "phone">("idNumber");
  const [value, setValue] = useState("");
  const [purpose, setPurpose] = useState<Purpose | "">("");
  const [reason, setReason] = useState("");
  const search = useMutation({
    mutationFn: async () => (await api<{ items: Hit[] }>("/v1/registry/search", { method: "POST", body: { [by]: value.trim(), purpose, reason: reason.trim() } })).json.items,
    onError: (e) => notifyError(notify, e),
  });
  const unexplained = !purpose || reason.trim().length < 4;
  const problem = value.trim() ? (by === "idNumber" ? validateIdNumber(value) : validatePhoneNumber(value)) : undefined;
  const close = () => {
    setOpen(false);
    setValue("");
    setPurpose("");
    setReason("");
    search.reset();
  };
  return (
    <>
      <Button startIcon={<SearchIcon />} onClick={() => setOpen(true)} data-testid="registry-search">
        {translate("app.registry.search.button")}
      </Button>
      <Dialog open={open} onClose={close} maxWidth="sm" fullWidth>
        <DialogTitle>{translate("app.registry.search.title")}</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            {translate("app.registry.search.warning")}
          </Alert>
          <PurposeSelect value={purpose} onChange={setPurpose} testid="registry-search-purpose" />
          <TextField
            fullWidth
            size="small"
            label={translate("app.registry.reveal.reason")}
            helperText={translate("app.registry.reveal.reason_help")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500, "data-testid": "registry-search-reason" } }}
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!problem && value.trim() && !unexplained) search.mutate();
            }}
            style={{ display: "flex", gap: 8, marginTop: 8 }}
          >
            <TextField select size="small" value={by} onChange={(e) => setBy(e.target.value as "idNumber" | "phone")} sx={{ minWidth: 120 }}>
              <MenuItem value="idNumber">{translate("app.registry.search.by_id")}</MenuItem>
              <MenuItem value="phone">{translate("app.registry.search.by_phone")}</MenuItem>
            </TextField>
            <TextField
              size="small"
              fullWidth
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              error={!!problem}
              helperText={problem ? translate(problem) : " "}
              slotProps={{ htmlInput: { "data-testid": "registry-search-value" } }}
            />
            <Button type="submit" variant="contained" disabled={!!problem || !value.trim() || unexplained || search.isPending} data-testid="registry-search-submit">
              {translate("ra.action.search")}
            </Button>
          </form>
          {search.data && !search.data.length && <Alert severity="info">{translate("app.registry.search.none")}</Alert>}
          {search.data && search.data.length > 0 && (
            <List dense data-testid="registry-search-hits">
              {search.data.map((h) => (
                <ListItemButton
                  key={`${h.entity}-${h.id}`}
                  onClick={() => {
                    close();
                    navigate(createPath({ resource: RESOURCE[h.entity], id: h.id, type: "show" }));
                  }}
                >
                  <ListItemText
                    primary={`${translate(`app.registry.entities.${h.entity}`)} · ${h.name ?? h.address ?? h.id}`}
                    secondary={h.idNumber ?? h.phone ?? h.contactPhone ?? h.ownerPhone ?? ""}
                  />
                </ListItemButton>
              ))}
            </List>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{translate("ra.action.close")}</Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
