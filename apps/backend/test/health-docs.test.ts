import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestBackend, type TestBackend } from "./harness.ts";
import { MATRIX } from "./permission-matrix.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

test("liveness and readiness", async () => {
  expect((await backend.call("GET", "/health")).body).toEqual({ status: "ok" });
  const ready = await backend.call("GET", "/health/ready");
  expect(ready.status).toBe(200);
  expect(ready.body.checks.database).toBe("ok");
});

test("the OpenAPI document describes every API route, and the reference page serves", async () => {
  const spec = (await backend.call("GET", "/api/openapi.json")).body;
  expect(spec.openapi).toMatch(/^3\./);
  const documented = new Set(
    Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
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
  expect(JSON.stringify(spec.paths["/api/orgs/{orgId}/tasks"].post)).toContain("title");

  const docs = await fetch(`${backend.url}/api/docs`);
  expect(docs.status).toBe(200);
  expect(docs.headers.get("content-type")).toContain("text/html");
  expect(await docs.text()).toContain("/api/openapi.json");
});

test("responses carry a request id, and errors repeat it", async () => {
  const result = await backend.call("GET", "/api/me");
  expect(result.headers.get("x-request-id")).toBe(result.body.error.requestId);
});
