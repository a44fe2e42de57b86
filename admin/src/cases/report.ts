/**
 * A report from the console's form: photos are uploaded first (`POST /v1/uploads`, then a PUT to
 * the bucket), then the report carries their keys as `attachments`. Called by the data provider's
 * `create("cases")`, so upload failures show like any other failed save.
 */
import { uploadAll, type Attachment } from "../common/upload.ts";

interface FormFile {
  rawFile?: File;
}

type Upload = (files: File[]) => Promise<Attachment[]>;

const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN);

/** The report form's values → `POST /v1/cases` body (photos uploaded on the way). */
export async function prepareReport(data: Record<string, unknown>, upload: Upload = (files) => uploadAll("/v1/uploads", files, "before")): Promise<Record<string, unknown>> {
  const photos = (Array.isArray(data.photos) ? data.photos : data.photos ? [data.photos] : []) as FormFile[];
  const files = photos.map((p) => p.rawFile).filter((f): f is File => !!f);
  const loc = (data.location ?? {}) as { lng?: unknown; lat?: unknown; address?: unknown };
  const body: Record<string, unknown> = {
    categoryId: data.categoryId,
    description: typeof data.description === "string" ? data.description.trim() : data.description,
    location: { lng: num(loc.lng), lat: num(loc.lat), ...(typeof loc.address === "string" && loc.address.trim() ? { address: loc.address.trim() } : {}) },
  };
  if (typeof data.unitId === "string" && data.unitId) body.unitId = data.unitId;
  if (data.urgent === true) body.urgent = true;
  const attachments = files.length ? await upload(files) : [];
  if (attachments.length) body.attachments = attachments;
  return body;
}
