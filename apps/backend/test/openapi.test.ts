/**
 * The OpenAPI document against third-party tools and the live server: Redocly CLI lints it
 * (0 errors), every documented operation is called until each documented status has been
 * seen (success, and each error it can trigger) and every answer is validated with ajv, and
 * clients typed from it (openapi-typescript + openapi-fetch) and from the routes (Hono RPC)
 * compile without casts.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTypes } from "@tandem/api-client/generate";
import { addTestMember, createTestOrg } from "@tandem/domain/testing";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { buildWorld } from "./matrix-world.ts";
import { DocumentCheck } from "./openapi-check.ts";
import { startGithubAppStandIn } from "./openapi-stand-ins.ts";
import { authOperations, caller, limitedOperations, outage, specificErrors, standardErrors } from "./openapi-walk.ts";
import { MATRIX } from "./permission-matrix.ts";

const BACKEND_DIR = join(import.meta.dir, "..");
const ROOT = join(BACKEND_DIR, "../..");
const github = startGithubAppStandIn();
const outbox = mkdtempSync(join(tmpdir(), "tandem-openapi-outbox-"));
let backend: TestBackend;
let spec: any;

beforeAll(async () => {
  backend = await startTestBackend({
    github: { clientId: "openapi-test", clientSecret: "openapi-test-secret" },
    githubSync: { apiUrl: github.apiUrl, app: github.app },
    maxBodyBytes: 64 * 1024,
    attachmentLimits: { maxBytes: 64 * 1024, orgQuotaBytes: 1024 * 1024 * 1024 },
    importMaxBytes: 64 * 1024,
    // Every call comes from an address of its own (X-Forwarded-For), so no limit is reached by accident.
    trustProxy: true,
    outboxDir: outbox,
  });
  spec = (await backend.raw("GET", "/api/openapi.json")).body;
});
afterAll(async () => {
  await backend.stop();
  github.stop();
  rmSync(outbox, { recursive: true, force: true });
});

test("Redocly CLI lints the served document with 0 errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tandem-openapi-lint-"));
  try {
    const file = join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(spec));
    const run = Bun.spawnSync(
      ["bun", "x", "redocly", "lint", file, "--config", join(BACKEND_DIR, "redocly.yaml"), "--format", "json"],
      {
        cwd: BACKEND_DIR,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
    const output = run.stdout.toString();
    const report = JSON.parse(output.slice(output.indexOf("{"))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; severity: string }[];
    };
    const errors = report.problems.filter((problem) => problem.severity === "error");
    expect(errors.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(run.exitCode).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every documented operation answers each documented status in the documented shape", async () => {
  const check = new DocumentCheck(spec);
  const call = caller(check, backend.url);
  const documentedApiRoutes = MATRIX.filter((entry) => {
    const [method = "GET", path = ""] = entry.route.split(" ");
    return check.operationFor(method, path.replace(/:(\w+)/g, "{$1}").replace(/\{(\w+)\}/g, "x")) !== undefined;
  });
  expect(documentedApiRoutes.length).toBeGreaterThan(55);

  // The permission matrix, walked as four roles: what each is allowed, and what it is refused.
  const roles = ["anonymous", "outsider", "member", "administrator"] as const;
  for (const role of roles) {
    const owner = await backend.signUp("Owner");
    const victim = await backend.signUp("Victim");
    const world = await buildWorld(backend, owner, victim);
    let user: TestUser | null = null;
    if (role !== "anonymous") {
      user = await backend.signUp(role);
      if (role === "outsider") await createTestOrg(backend.db, { ownerId: user.id });
      else {
        const permissions = role === "administrator" ? ["admin.administrator"] : [];
        await addTestMember(backend.db, { orgId: world.orgId, userId: user.id, permissions });
      }
    }
    for (const entry of documentedApiRoutes) {
      const [method = "GET"] = entry.route.split(" ");
      const { path, body } = entry.request(world);
      await call(user, method, path, { body, note: role });
    }
  }

  const owner = await backend.signUp("Owner");
  const world = await buildWorld(backend, owner, await backend.signUp("Victim"));
  const requests = documentedApiRoutes.map((entry) => ({
    method: entry.route.split(" ")[0] ?? "GET",
    ...entry.request(world),
  }));
  await standardErrors(call, requests);
  await specificErrors({ call, backend, owner, world });
  await authOperations({ call, backend, outbox });
  await limitedOperations(check, world);
  await outage(check, requests);

  expect(check.failures).toEqual([]);
  // Every (operation, status) the document lists was answered at least once.
  expect(check.documented().length).toBeGreaterThan(400);
  expect(check.unseen()).toEqual([]);
}, 60_000);

test("a client generated from the document (openapi-typescript + openapi-fetch) compiles without casts", async () => {
  const dir = join(ROOT, "packages/api-client/check");
  const generated = join(dir, "schema.gen.ts");
  writeFileSync(generated, await generateTypes(spec));
  try {
    const usage = readFileSync(join(dir, "usage.ts"), "utf8");
    expect(usage).not.toMatch(/\bas (?!const\b)|<any>|@ts-/);
    const tsc = Bun.spawnSync([join(ROOT, "node_modules/.bin/tsc"), "--noEmit", "-p", dir]);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.exitCode).toBe(0);
  } finally {
    rmSync(generated, { force: true });
  }
});
