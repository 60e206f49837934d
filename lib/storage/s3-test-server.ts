/**
 * A real S3-compatible server for tests: s3rver (pure JS) on a free port, keeping its objects in
 * a temporary folder. It runs in a child process, so the test process's memory is only the
 * client's (what the memory assertions are about). Only tests import this file.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@/lib/storage/s3";

export type S3TestServer = { endpoint: string; bucket: string; client: S3Client; stop(): Promise<void> };

const SERVER_SCRIPT = `
const S3rver = require("s3rver");
const [directory, bucket] = process.argv.slice(1);
new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  .run()
  .then((address) => console.log(JSON.stringify({ port: address.port })));
`;

export async function startS3TestServer(bucket = "switchboard-test"): Promise<S3TestServer> {
  const directory = mkdtempSync(path.join(tmpdir(), "switchboard-s3rver-"));
  const child = spawn(process.execPath, ["-e", SERVER_SCRIPT, directory, bucket], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver checks signatures against its fixed development key pair.
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  const client = createS3Client({ endpoint, forcePathStyle: true, region: "us-east-1" });
  return {
    endpoint,
    bucket,
    client,
    async stop() {
      client.destroy();
      child.kill();
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
