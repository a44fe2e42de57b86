import { copyS3Object, getS3Object, headS3Object, putS3Object, S3ObjectError } from "../s3-object.ts";

/*
 * Text files of jobs in the private bucket (job inputs under `imports/`, error reports beside them),
 * through signed requests without the S3 client (core/s3-object.ts, issue #15). A missing object
 * throws `NoSuchKey` (404) as GetObject did through the client, which isMissingObject
 * (core/job/retention.ts) recognises.
 */

/** Where a job's input file is stored: `imports/<jobId>.<ext>` (its runner may read it before it has read the job). */
export const jobInputKey = (jobId: string, ext: string): string => `imports/${jobId}.${ext}`;

const missing = (key: string) => new S3ObjectError("NoSuchKey", 404, `S3 GetObject ${key}: The specified key does not exist.`);

/** Store a text file (UTF-8). */
export async function putText(key: string, text: string, contentType: string): Promise<void> {
  await putS3Object(key, new TextEncoder().encode(text), contentType);
}

/** The object as UTF-8 text (a BOM is kept; readers strip it). */
export async function getText(key: string): Promise<string> {
  const bytes = await getS3Object(key);
  if (!bytes) throw missing(key);
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** The object's bytes (binary job inputs: zipped Shapefiles, workbooks). */
export async function getBytes(key: string): Promise<Uint8Array> {
  const bytes = await getS3Object(key);
  if (!bytes) throw missing(key);
  return bytes;
}

/** Size and type of an object, or undefined when it does not exist. */
export async function headObject(key: string): Promise<{ size: number; contentType?: string } | undefined> {
  return headS3Object(key);
}

export async function copyObject(from: string, to: string): Promise<void> {
  await copyS3Object(from, to);
}
