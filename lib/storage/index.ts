import { env } from "@/lib/env";
import { localFileStorage } from "@/lib/storage/local";
import { createS3Client, parseS3Url, s3FileStorage } from "@/lib/storage/s3";
import type { FileStorage } from "@/lib/storage/types";

export { localFileStorage } from "@/lib/storage/local";
export type { ByteRange, FileStorage, OpenedObject } from "@/lib/storage/types";

/** The S3 storage STORAGE_URL names, with the client configured from the AWS variables. */
export function s3StorageFromEnv(url: string): FileStorage {
  const client = createS3Client({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    requestChecksumCalculation: env.AWS_REQUEST_CHECKSUM_CALCULATION,
  });
  return s3FileStorage(client, parseS3Url(url));
}

const globalForStorage = globalThis as unknown as { switchboardStorage?: FileStorage };

/** The process's storage: S3 when STORAGE_URL is set, else the folder STORAGE_DIR (default ./data/files). */
export function getFileStorage(): FileStorage {
  globalForStorage.switchboardStorage ??= env.STORAGE_URL ? s3StorageFromEnv(env.STORAGE_URL) : localFileStorage(env.STORAGE_DIR);
  return globalForStorage.switchboardStorage;
}

/** Replaces the process's storage (tests use a temporary folder). */
export function setFileStorage(storage: FileStorage) {
  globalForStorage.switchboardStorage = storage;
}
