import { afterAll, expect, test } from "bun:test";
import { startCollector } from "@tandem/opentelemetry/testing";
import type { Subprocess } from "bun";
import { WEB_ORIGIN } from "./harness.ts";
import { spawnBackend } from "./spawn.ts";
import { TestSocket } from "./ws-client.ts";

const collector = startCollector();
const procs: Subprocess[] = [];
afterAll(() => {
  for (const proc of procs) proc.kill();
  collector.stop();
});

test("the spans of one task creation reach an OTLP collector, with parent/child links", async () => {
  const backend = await spawnBackend({
    PORT: "0",
    DATABASE_URL: process.env.DATABASE_URL,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    WEB_ORIGINS: WEB_ORIGIN,
    SEED_DEMO: "false",
    AUTH_CREDENTIAL_LIMIT: "10:1000",
    LOG_LEVEL: "info",
    NODE_ENV: "development",
  });
  procs.push(backend.proc);
  expect(backend.url, backend.output).not.toBeNull();
  const url = backend.url as string;
  const headers = { "content-type": "application/json", origin: WEB_ORIGIN };
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email: `otel-${crypto.randomUUID()}@example.test`, password: "password-123", name: "Otel" }),
  });
  const cookie = (signUp.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const org = (await (
    await fetch(`${url}/api/orgs`, {
      method: "POST",
      headers: { ...headers, cookie },
      body: JSON.stringify({ name: "Otel", slug: `otel-${crypto.randomUUID().slice(0, 8)}`, prefix: "OT" }),
    })
  ).json()) as { id: string };
  const socket = new TestSocket(url, { cookie });
  await socket.opened();
  await socket.subscribe(org.id, "tasks");
  const created = await fetch(`${url}/api/orgs/${org.id}/tasks`, {
    method: "POST",
    headers: { ...headers, cookie },
    body: JSON.stringify({ title: "Traced" }),
  });
  expect(created.status).toBe(201);

  const verb = await collector.waitFor("task.create");
  expect(verb.service).toBe("tandem-backend");
  const request = collector.spans.find((span) => span.spanId === verb.parentSpanId);
  expect(request?.name).toBe("HTTP POST");
  expect(request?.traceId).toBe(verb.traceId);
  // The hub's fan-out of that change is traced too, and the socket got it.
  await socket.next((m) => m.type === "CREATE_TASK");
  expect((await collector.waitFor("hub.fanout")).service).toBe("tandem-backend");
  socket.close();
}, 60_000);
