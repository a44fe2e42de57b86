import { putS3Object } from "../s3-object.ts";

/** A binary job file in the private bucket (the uploaded workbook of an Excel import): one signed PutObject (core/s3-object.ts, no S3 client). */
export async function putBytes(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
  await putS3Object(key, bytes, contentType);
}
