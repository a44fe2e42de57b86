import { bucketName } from "../aws.ts";
import { s3 } from "../s3.ts";

/** A binary job file in the private bucket (the uploaded workbook of an Excel import). */
export async function putBytes(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  await (await s3()).send(new PutObjectCommand({ Bucket: bucketName(), Key: key, Body: bytes, ContentType: contentType }));
}
