import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Resolver } from "@tandem/domain";
import { startTestWorker, until, type WorkerHarness } from "./harness.ts";
import { deliveriesOf, startReceiver, webhookOrg } from "./webhook-kit.ts";

/** DNS as the worker sees it: the rebinding name now points at loopback. */
const workerDns: Resolver = async (hostname) => {
  if (hostname === "hooks.rebind.test") return [{ address: "127.0.0.1", family: 4 }];
  throw new Error(`ENOTFOUND ${hostname}`);
};
/** DNS as it was when the URL was saved: a public address. */
const saveDns: Resolver = async () => [{ address: "93.184.216.34", family: 4 }];

let harness: WorkerHarness;
let inbox: ReturnType<typeof startReceiver>;

beforeAll(async () => {
  inbox = startReceiver();
  harness = await startTestWorker(
    { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "false", WEBHOOK_RETRY_BASE_MS: "60000", WEBHOOK_POLL_MS: "50" },
    { resolve: workerDns },
  );
});
afterAll(async () => {
  inbox.stop();
  await harness.stop();
});

test("with private networks refused, the sender connects to none of loopback, metadata, [::1] or a rebound name", async () => {
  const { handle } = harness;
  // Saved while allowed (or, for the name, while it still resolved to a public address).
  const allowed = await webhookOrg(handle);
  const rebound = await webhookOrg(handle, { allowPrivateNetworks: false, resolve: saveDns });
  const hooks = [
    (await allowed.hook(`http://127.0.0.1:${inbox.port}/hook`)).webhook,
    (await allowed.hook(`http://[::1]:${inbox.port}/hook`)).webhook,
    (await allowed.hook("http://169.254.169.254/latest/meta-data")).webhook,
    (await rebound.hook(`http://hooks.rebind.test:${inbox.port}/hook`)).webhook,
  ];
  await allowed.label();
  await rebound.label();
  const attempts = await until(async () => {
    const all = await Promise.all(hooks.map(async (hook) => (await deliveriesOf(handle, hook.id))[0]?.attempts[0]));
    return all.every(Boolean) && all;
  });
  for (const attempt of attempts) {
    expect(attempt?.statusCode).toBeNull();
    expect(attempt?.error).toContain("private or reserved address");
    // Saved and read by admins: it never says which internal address the name resolved to.
    expect(attempt?.error).not.toMatch(/127\.0\.0\.1|169\.254|::1/);
  }
  expect(inbox.received).toHaveLength(0);
});
