/**
 * The case's photos and voice notes (attachments of its timeline events). Each is shown through a
 * short-lived presigned URL from `GET /v1/cases/{id}/attachments/{key}`, renewed before it expires.
 */
import { useQuery } from "@tanstack/react-query";
import { Box, Link, Skeleton, Typography } from "@mui/material";
import { useDataProvider, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { attachmentPath } from "../common/upload.ts";
import { timelineAttachments, type TimelineEvent } from "./model.ts";

const Attachment = ({ caseId, item }: { caseId: string; item: { key: string; kind: string; event: TimelineEvent } }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data, isError } = useQuery({
    queryKey: ["wangge", "attachment", caseId, item.key],
    queryFn: () => dataProvider.getRaw<{ url: string }>(attachmentPath(caseId, item.key)),
    staleTime: 240_000,
    refetchInterval: 240_000,
    retry: 1,
  });
  const caption = translate(`app.cases.events.${item.event.type}`, { _: item.event.type });
  return (
    <Box component="figure" sx={{ m: 0, width: 160 }} data-testid="case-photo">
      {isError ? (
        <Box sx={{ width: 160, height: 120, display: "grid", placeItems: "center", bgcolor: "action.hover", borderRadius: 1 }}>
          <Typography variant="caption">{translate("app.cases.photo_unavailable")}</Typography>
        </Box>
      ) : !data ? (
        <Skeleton variant="rounded" width={160} height={120} />
      ) : item.kind === "voice" ? (
        <audio controls src={data.url} style={{ width: 160 }} />
      ) : (
        <Link href={data.url} target="_blank" rel="noreferrer">
          <img src={data.url} alt={caption} loading="lazy" style={{ width: 160, height: 120, objectFit: "cover", borderRadius: 4, display: "block", background: "#eee" }} />
        </Link>
      )}
      <Typography component="figcaption" variant="caption" color="text.secondary">
        {caption}
      </Typography>
    </Box>
  );
};

export const Photos = ({ caseId, timeline }: { caseId: string; timeline?: readonly TimelineEvent[] }) => {
  const translate = useTranslate();
  const items = timelineAttachments(timeline);
  if (!items.length) return <Typography variant="body2">{translate("app.cases.no_photos")}</Typography>;
  return (
    <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1.5 }} data-testid="case-photos">
      {items.map((it) => (
        <Attachment key={it.key} caseId={caseId} item={it} />
      ))}
    </Box>
  );
};
