import { afterAll, beforeAll, expect, test } from "bun:test";
import { z } from "zod";
import { ok, refused, startTestBackend, type TestBackend } from "./harness.ts";
import { MATRIX } from "./permission-matrix.ts";

/** What the test reads of the OpenAPI document. */
const ZSpec = z.object({ openapi: z.string(), paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

test("liveness and readiness", async () => {
  expect(await ok(backend.api.health.$get(), 200)).toEqual({ status: "ok" });
  const ready = await ok(backend.api.health.ready.$get(), 200);
  expect(ready.checks.database).toBe("ok");
});

test("the OpenAPI document describes every API route, and the reference page serves", async () => {
  const spec = ZSpec.parse((await backend.raw("GET", "/api/openapi.json")).body);
  expect(spec.openapi).toMatch(/^3\./);
  const documented = new Set(
    Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    ),
  );
  const normalise = (route: string) => route.replace(/:\w+/g, ":p");
  const documentedNormalised = new Set([...documented].map(normalise));
  const apiRoutes = MATRIX.map((entry) => entry.route).filter(
    (route) =>
      route.includes("/api/") &&
      !route.includes("/api/auth/") &&
      !route.includes("/api/openapi.json") &&
      !route.includes("/api/docs"),
  );
  expect(apiRoutes.filter((route) => !documentedNormalised.has(normalise(route)))).toEqual([]);
  // Request bodies carry their schema.
  expect(JSON.stringify(spec.paths["/api/orgs/{orgId}/tasks"]?.post)).toContain("title");

  const docs = await fetch(`${backend.url}/api/docs`);
  expect(docs.status).toBe(200);
  expect(docs.headers.get("content-type")).toContain("text/html");
  const page = await docs.text();
  expect(page).toContain("/api/openapi.json");
  // The reference's script is served by the backend itself, so the page works offline.
  expect(page).not.toMatch(/https?:\/\/(?!localhost)/);
  const script = page.match(/<script src="([^"]+)"/)?.[1] ?? "";
  expect(script).toStartWith("/api/docs/scalar.js");
  const bundle = await fetch(`${backend.url}${script}`);
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get("content-type")).toContain("javascript");
  expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
});

test("the sign-in screen learns which methods are configured", async () => {
  const config = await ok(backend.api.api["auth-config"].$get(), 200);
  expect(config).toEqual({ emailPassword: true, github: false });

  const withGithub = await startTestBackend({ github: { clientId: "id", clientSecret: "secret" } });
  try {
    expect(await ok(withGithub.api.api["auth-config"].$get(), 200)).toEqual({ emailPassword: true, github: true });
  } finally {
    await withGithub.stop();
  }
});

test("responses carry a request id, and errors repeat it", async () => {
  const answer = await backend.api.api.me.$get();
  expect(answer.headers.get("x-request-id")).toBe((await refused(Promise.resolve(answer), 401)).error.requestId);
});
