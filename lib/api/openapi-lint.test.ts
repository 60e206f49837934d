/**
 * The OpenAPI document passes two independent linters, Redocly CLI (`recommended`) and Spectral
 * (`spectral:oas`), with no error and no warning beyond the rules .redocly.yaml and .spectral.yaml
 * turn off (each with its reason). Generated clients and API tools read the document; what these
 * linters flag (an example that breaks its schema, an undeclared header) is what breaks them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

let dir: string;
let documentPath: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "switchboard-openapi-"));
  documentPath = path.join(dir, "openapi.json");
  // A server URL as an instance sets it (APP_URL): the document is linted as it is served.
  writeFileSync(documentPath, JSON.stringify(buildOpenApiDocument("https://switchboard.acme.test"), null, 2));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No telemetry from a test run; no colour codes in what is parsed.
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

type Problem = { rule: string; severity: string; message: string; where: string };

describe("the OpenAPI document", () => {
  it("lints clean with Redocly CLI", async () => {
    const { code, stdout, stderr } = await run(bin("redocly"), ["lint", documentPath, "--config", path.join(root, ".redocly.yaml"), "--format", "json"]);

    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const problems: Problem[] = report.problems.map((problem) => ({
      rule: problem.ruleId,
      severity: problem.severity,
      message: problem.message,
      where: problem.location[0]?.pointer ?? "",
    }));
    expect(problems, stderr).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(code).toBe(0);
  }, 30_000);

  it("lints clean with Spectral (spectral:oas)", async () => {
    const { code, stdout, stderr } = await run(bin("spectral"), [
      "lint",
      documentPath,
      "--ruleset",
      path.join(root, ".spectral.yaml"),
      "--format",
      "json",
      "--fail-severity",
      "hint",
      "--quiet",
    ]);

    // Spectral prints nothing at all when there is nothing to report.
    const results = (stdout.trim() === "" ? [] : JSON.parse(stdout)) as { code: string; severity: number; message: string; path: string[] }[];
    const problems: Problem[] = results.map((result) => ({
      rule: result.code,
      severity: ["error", "warning", "info", "hint"][result.severity] ?? String(result.severity),
      message: result.message,
      where: result.path.join("."),
    }));
    expect(problems, stderr).toEqual([]);
    expect(code, stderr).toBe(0);
  }, 30_000);
});
