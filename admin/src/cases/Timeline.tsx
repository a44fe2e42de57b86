/** What happened to the case, oldest first: who did what (by name, common/NameLabels.tsx), when, the state it led to, notes and photos. */
import { Box, Chip, Stack, Typography } from "@mui/material";
import PhotoCameraIcon from "@mui/icons-material/PhotoCamera";
import { useLocaleState, useTranslate } from "react-admin";
import { intlLocale } from "../i18n/index.ts";
import { ActorName } from "../common/NameLabels.tsx";
import type { TimelineEvent } from "./model.ts";

export const Timeline = ({ events }: { events: readonly TimelineEvent[] }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
  if (!events.length) return <Typography variant="body2">{translate("app.cases.no_events")}</Typography>;
  return (
    <Box component="ol" sx={{ listStyle: "none", m: 0, p: 0 }} data-testid="case-timeline">
      {events.map((e, i) => (
        <Box
          component="li"
          key={e.id ?? `${e.version}-${e.seq}`}
          data-testid={`event-${e.type}`}
          sx={{ position: "relative", pl: 3, pb: i === events.length - 1 ? 0 : 2, "&::before": { content: '""', position: "absolute", left: 7, top: 6, bottom: 0, width: 2, bgcolor: i === events.length - 1 ? "transparent" : "divider" } }}
        >
          <Box sx={{ position: "absolute", left: 2, top: 4, width: 12, height: 12, borderRadius: "50%", bgcolor: e.to === "closed" ? "success.main" : e.type === "overdue" || e.type === "supervised" ? "error.main" : "primary.main" }} />
          <Stack direction="row" sx={{ alignItems: "baseline", gap: 1, flexWrap: "wrap" }}>
            <Typography variant="subtitle2">{translate(`app.cases.events.${e.type}`, { _: e.type })}</Typography>
            <Typography variant="body2" color="text.secondary">
              <ActorName actor={e.actor} /> · {fmt.format(new Date(e.at))}
            </Typography>
            {e.from !== e.to ? <Chip size="small" variant="outlined" label={translate(`app.case_states.${e.to}`, { _: e.to })} /> : null}
            {e.attachments?.length ? (
              <Chip size="small" icon={<PhotoCameraIcon />} label={e.attachments.length} variant="outlined" />
            ) : null}
          </Stack>
          {e.note ? (
            <Typography variant="body2" sx={{ whiteSpace: "pre-wrap", mt: 0.25 }}>
              {e.note}
            </Typography>
          ) : null}
        </Box>
      ))}
    </Box>
  );
};

export { ActorName };
