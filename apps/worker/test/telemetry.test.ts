import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { connect } from "@tandem/database";
import { startCollector } from "@tandem/opentelemetry/testing";
import { spawnService } from "@tandem/util/spawn";
import type { Subprocess } from "bun";
import { deliver, example, linkedOrg, settled, WEBHOOK_SECRET } from "./harness.ts";

const collector = startCollector();
const procs: Subprocess[] = [];
const handle = connect(process.env.DATABASE_URL ?? "", { applicationName: "worker-otel-test" });
afterAll(async () => {
  for (const proc of procs) proc.kill();
  collector.stop();
  await handle.close();
});

test("the spans of one webhook reach the collector: the job continues the receive's trace", async () => {
  const worker = await spawnService({
    command: ["bun", "src/index.ts"],
    cwd: join(import.meta.dir, ".."),
    env: {
      PORT: "0",
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      LOG_LEVEL: "info",
    },
    ready: /"url":"(http:\/\/[^"]+)".*?"msg":"worker listening"/,
  });
  procs.push(worker.proc);
  expect(worker.url, worker.output).not.toBeNull();
  const { repoName } = await linkedOrg(handle, "OTL");
  const payload = example("issues", "opened");
  payload.repository.full_name = repoName;
  const sent = await deliver({ url: worker.url } as never, "issues", payload);
  expect(await settled(handle, sent.deliveryId)).toBe("processed");

  const receive = await collector.waitFor("webhook.receive");
  const job = await collector.waitFor("job.github-event");
  expect(job.traceId).toBe(receive.traceId);
  expect(job.parentSpanId).toBe(receive.spanId);
  const sync = await collector.waitFor("github.sync.issue");
  expect(sync.parentSpanId).toBe(job.spanId);
}, 60_000);
