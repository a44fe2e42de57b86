import { bucketName } from "../aws.ts";
import { s3 } from "../s3.ts";

/** Text files of jobs in the private bucket (job inputs under `imports/`, error reports beside them). */
export async function putText(key: string, text: string, contentType: string): Promise<void> {
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  await (await s3()).send(new PutObjectCommand({ Bucket: bucketName(), Key: key, Body: text, ContentType: contentType }));
}

/** The object as UTF-8 text (a BOM is kept; readers strip it). */
export async function getText(key: string): Promise<string> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  const out = await (await s3()).send(new GetObjectCommand({ Bucket: bucketName(), Key: key }));
  return (await out.Body?.transformToString("utf-8")) ?? "";
}

/** The object's bytes (binary job inputs: zipped Shapefiles). */
export async function getBytes(key: string): Promise<Uint8Array> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  const out = await (await s3()).send(new GetObjectCommand({ Bucket: bucketName(), Key: key }));
  return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
}

/** Size and type of an object, or undefined when it does not exist. */
export async function headObject(key: string): Promise<{ size: number; contentType?: string } | undefined> {
  try {
    const { HeadObjectCommand } = await import("@aws-sdk/client-s3");
    const h = await (await s3()).send(new HeadObjectCommand({ Bucket: bucketName(), Key: key }));
    return { size: h.ContentLength ?? 0, contentType: h.ContentType };
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (e as Error).name === "NotFound" || (e as Error).name === "NoSuchKey") return undefined;
    throw e;
  }
}

export async function copyObject(from: string, to: string): Promise<void> {
  const { CopyObjectCommand } = await import("@aws-sdk/client-s3");
  await (await s3()).send(new CopyObjectCommand({ Bucket: bucketName(), CopySource: `${bucketName()}/${encodeURIComponent(from).replace(/%2F/g, "/")}`, Key: to }));
}
