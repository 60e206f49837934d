import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable, Transform } from "node:stream";
import { assertSafeKey, type FileStorage } from "@/lib/storage/types";

/** Where in S3 the attachments go: `s3://bucket/prefix` → bucket and key prefix. */
export type S3Location = { bucket: string; prefix: string };

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error(`STORAGE_URL must look like s3://bucket/prefix, not ${url}`);
  return { bucket: match[1], prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, "") };
}

export type S3ClientSettings = {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  requestChecksumCalculation?: "WHEN_SUPPORTED" | "WHEN_REQUIRED";
};

/**
 * An S3 client whose credentials come from the SDK's own chain (AWS_ACCESS_KEY_ID… or a profile
 * or an instance role). With a custom endpoint, checksums are only sent when an operation requires
 * them: since SDK 3.729 streamed uploads otherwise use aws-chunked framing with trailing
 * checksums, which many S3-compatible servers (s3rver among them) store inside the object.
 */
export function createS3Client(settings: S3ClientSettings): S3Client {
  return new S3Client({
    region: settings.region ?? "us-east-1",
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: settings.requestChecksumCalculation ?? (settings.endpoint ? "WHEN_REQUIRED" : "WHEN_SUPPORTED"),
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

// Parts of 5 MiB (S3's minimum), two in flight: an upload holds ~10 MiB whatever the file's size
// (10,000 parts of 5 MiB allow 48 GiB per object, far above MAX_UPLOAD_BYTES).
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

const isNotFound = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404);

/** Attachments as objects in an S3 bucket (AWS or any S3-compatible server), under `prefix/`. */
export function s3FileStorage(client: S3Client, { bucket, prefix }: S3Location): FileStorage {
  const objectKey = (key: string) => (prefix ? `${prefix}/${assertSafeKey(key)}` : assertSafeKey(key));
  return {
    async write(key, data) {
      let size = 0;
      const counted = (data instanceof Readable ? data : Readable.from([data])).pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            size += chunk.length;
            callback(null, chunk);
          },
        }),
      );
      // A failing source must fail the upload, not leave it waiting for bytes that never come.
      if (data instanceof Readable) data.once("error", (error) => counted.destroy(error));
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: objectKey(key), Body: counted },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
      return { size };
    },
    async open(key, range) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
        const total = object.ContentRange ? Number(object.ContentRange.split("/")[1]) : Number(object.ContentLength ?? 0);
        // In Node the body is the HTTP response itself: reading it as the client reads keeps backpressure.
        return { size: total, stream: object.Body as Readable };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return { size: Number(head.ContentLength ?? 0) };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async ping() {
      // HEAD of a key we never write: "not found" proves the endpoint, the bucket and the
      // credentials work (as for stat, the role needs s3:ListBucket, or S3 answers 403 instead).
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey("switchboard-readiness-probe") }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
