import { afterAll, expect, test } from "bun:test";
import { startCollector } from "@tandem/opentelemetry/testing";
import type { Subprocess } from "bun";
import { WEB_ORIGIN } from "./harness.ts";
import { signUpWithOrg, spawnBackend } from "./spawn.ts";
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
  const { cookie, org, headers } = await signUpWithOrg(url, WEB_ORIGIN, "OTEL");
  const socket = new TestSocket(url, { cookie });
  await socket.opened();
  await socket.subscribe(org.id, "tasks");
  // A caller's W3C trace context is continued: the request span is its child.
  const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
  const callerSpan = "00f067aa0ba902b7";
  const created = await fetch(`${url}/api/orgs/${org.id}/tasks`, {
    method: "POST",
    headers: { ...headers, traceparent: `00-${callerTrace}-${callerSpan}-01` },
    body: JSON.stringify({ title: "Traced" }),
  });
  expect(created.status).toBe(201);

  const verb = await collector.waitFor("task.create");
  expect(verb.service).toBe("tandem-backend");
  const request = collector.spans.find((span) => span.spanId === verb.parentSpanId);
  expect(request?.name).toBe("POST /api/orgs/:orgId/tasks");
  expect(request?.traceId).toBe(verb.traceId);
  expect(request?.traceId).toBe(callerTrace);
  expect(request?.parentSpanId).toBe(callerSpan);
  // The hub's fan-out of that change is traced too, and the socket got it.
  await socket.next((m) => m.type === "CREATE_TASK");
  expect((await collector.waitFor("hub.fanout")).service).toBe("tandem-backend");
  socket.close();
}, 60_000);
