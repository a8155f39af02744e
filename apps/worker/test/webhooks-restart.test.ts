import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type DbHandle } from "@tandem/database";
import { until, workerProcesses } from "./harness.ts";
import { deliveriesOf, startReceiver, webhookOrg } from "./webhook-kit.ts";

const workers = workerProcesses();
let handle: DbHandle;

beforeAll(() => {
  handle = connect(process.env.DATABASE_URL ?? "", { applicationName: "webhook-restart-test" });
});
afterAll(async () => {
  workers.killAll();
  await handle.close();
});

/** A worker as its own process; a 1 s webhook timeout makes its hold on an endpoint 3 s. */
const startWorkerProcess = () =>
  workers.start({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_TIMEOUT_MS: "1000",
    WEBHOOK_POLL_MS: "50",
    WEBHOOK_RETRY_BASE_MS: "100",
  });

test("a worker SIGKILLed mid-delivery: the next one sends that event again, then the rest, in order", async () => {
  let arrived: () => void = () => {};
  const firstArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // The first request never gets an answer: the worker is killed while it waits.
  const inbox = startReceiver((n) => {
    if (n > 0) return 200;
    arrived();
    return new Promise<number>(() => {});
  });
  try {
    const org = await webhookOrg(handle);
    const { webhook } = await org.hook(inbox.url);
    for (const name of ["one", "two", "three"]) await org.label(name);

    const first = await startWorkerProcess();
    await firstArrived;
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    expect(inbox.received).toHaveLength(1);

    const second = await startWorkerProcess();
    const rows = await until(async () => {
      const found = await deliveriesOf(handle, webhook.id);
      return found.length === 3 && found.every((row) => row.status === "delivered") && found;
    }, 30_000);
    const names = inbox.received.map((r) => JSON.parse(r.body).data.label.name as string);
    expect(names).toEqual(["one", "one", "two", "three"]);
    // The same message both times: receivers can drop the repeat by webhook-id.
    expect(inbox.received[1]?.headers["webhook-id"]).toBe(inbox.received[0]?.headers["webhook-id"]);
    expect(rows[0]?.attempts).toHaveLength(1);
    second.proc.kill("SIGTERM");
    await second.proc.exited;
  } finally {
    inbox.stop();
  }
}, 60_000);
