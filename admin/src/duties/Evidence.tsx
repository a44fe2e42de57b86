/**
 * Evidence photos of visits, patrols and task completions: each opens through a short-lived
 * presigned URL from its duty route (renewed before it expires), like the case photos.
 */
import { useQuery } from "@tanstack/react-query";
import { Box, Link, Skeleton, Typography } from "@mui/material";
import { useTranslate } from "react-admin";
import { api } from "../http.ts";

/** `{key+}` keeps its slashes. */
export const keyPath = (key: string) => key.split("/").map(encodeURIComponent).join("/");

const Photo = ({ path }: { path: string }) => {
  const translate = useTranslate();
  const { data, isError } = useQuery({
    queryKey: ["wangge", "evidence", path],
    queryFn: async () => (await api<{ url: string }>(path)).json,
    staleTime: 240_000,
    refetchInterval: 240_000,
    retry: 1,
  });
  if (isError)
    return (
      <Box sx={{ width: 96, height: 72, display: "grid", placeItems: "center", bgcolor: "action.hover", borderRadius: 1 }}>
        <Typography variant="caption">{translate("app.duties.photo_unavailable")}</Typography>
      </Box>
    );
  if (!data) return <Skeleton variant="rounded" width={96} height={72} />;
  return (
    <Link href={data.url} target="_blank" rel="noreferrer" data-testid="evidence-photo">
      <img src={data.url} alt="" loading="lazy" style={{ width: 96, height: 72, objectFit: "cover", borderRadius: 4, display: "block", background: "#eee" }} />
    </Link>
  );
};

/** The photos of one duty record; `base` is the route up to `/photos/`. */
export const EvidencePhotos = ({ base, photos, query = "" }: { base: string; photos?: Array<{ key: string }>; query?: string }) => {
  if (!photos?.length) return <>—</>;
  return (
    <Box sx={{ display: "flex", gap: 1, flexWrap: "wrap" }}>
      {photos.map((p) => (
        <Photo key={p.key} path={`${base}/photos/${keyPath(p.key)}${query}`} />
      ))}
    </Box>
  );
};
