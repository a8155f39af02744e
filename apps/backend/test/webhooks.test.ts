import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Resolver } from "@tandem/domain";
import { createTestOrg } from "@tandem/domain/testing";
import { Webhook } from "standardwebhooks";
import { errorOf, ok, refused, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

type Received = { headers: Record<string, string>; body: string };

/** DNS for this backend: names that resolve private, public, or not at all. */
const dns: Resolver = async (hostname) => {
  if (hostname === "internal.test") return [{ address: "10.0.0.5", family: 4 }];
  if (hostname === "mixed.test")
    return [
      { address: "93.184.216.34", family: 4 },
      { address: "fd00::1", family: 6 },
    ];
  if (hostname === "public.test") return [{ address: "93.184.216.34", family: 4 }];
  throw new Error(`ENOTFOUND ${hostname}`);
};

let open: TestBackend;
let strict: TestBackend;
const received: Received[] = [];
let answers: number[] = [];
const receiver = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: async (request) => {
    received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
    return new Response("x".repeat(10_000), { status: answers.shift() ?? 200 });
  },
});
const receiverUrl = `http://127.0.0.1:${receiver.port}/hook`;

beforeAll(async () => {
  open = await startTestBackend();
  strict = await startTestBackend({ webhooks: { allowPrivateNetworks: false, resolve: dns } });
});
afterAll(async () => {
  receiver.stop(true);
  await open.stop();
  await strict.stop();
});

async function adminOrg(backend: TestBackend): Promise<{ admin: TestUser; orgId: string }> {
  const admin = await backend.signUp("Hook admin");
  const org = await createTestOrg(backend.db, { ownerId: admin.id, prefix: "WH" });
  return { admin, orgId: org.id };
}

test("create shows the secret once; list, patch, deliveries and the event log never do", async () => {
  const { admin, orgId } = await adminOrg(open);
  const hooks = admin.api.api.orgs[":orgId"].webhooks;
  const created = await ok(
    hooks.$post({ param: { orgId }, json: { url: receiverUrl, events: ["CREATE_TASK", "UPDATE_TASK"] } }),
    201,
  );
  expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
  expect(created.webhook).toMatchObject({ url: receiverUrl, enabled: true, projectId: null });
  const webhookId = created.webhook.id;
  const patched = await ok(
    hooks[":webhookId"].$patch({ param: { orgId, webhookId }, json: { events: ["*"], enabled: false } }),
  );
  expect(patched).toMatchObject({ events: ["*"], enabled: false });
  const listed = await ok(hooks.$get({ param: { orgId } }));
  expect(listed.map((hook) => hook.id)).toEqual([webhookId]);
  const seen = [
    JSON.stringify(listed),
    JSON.stringify(patched),
    JSON.stringify(await ok(hooks[":webhookId"].deliveries.$get({ param: { orgId, webhookId }, query: {} }))),
    JSON.stringify((await admin.raw("GET", `/api/orgs/${orgId}/events?after=0`)).body),
  ];
  const secretBody = created.secret.slice("whsec_".length);
  for (const text of seen) expect(text).not.toContain(secretBody);
  await ok(hooks[":webhookId"].$delete({ param: { orgId, webhookId } }));
  await refused(hooks[":webhookId"].$delete({ param: { orgId, webhookId } }), 404);
});

test("bad input is a 400 naming the field", async () => {
  const { admin, orgId } = await adminOrg(open);
  const path = `/api/orgs/${orgId}/webhooks`;
  const cases: [unknown, string][] = [
    [{ url: "ftp://example.test/x", events: ["*"] }, "url"],
    [{ url: "not a url", events: ["*"] }, "url"],
    [{ url: "https://user:pw@example.test/", events: ["*"] }, "url"],
    [{ url: receiverUrl, events: [] }, "events"],
    [{ url: receiverUrl, events: ["NOPE"] }, "events.0"],
    [{ url: receiverUrl, events: ["*", "CREATE_TASK"] }, "events"],
    [{ url: receiverUrl, events: ["*"], secret: "mine" }, ""],
  ];
  for (const [body, field] of cases) {
    const result = await admin.raw("POST", path, body);
    expect(result.status).toBe(400);
    expect(errorOf(result).error.code).toBe("BAD_REQUEST");
    if (field) expect(errorOf(result).error.field ?? "").toStartWith(field);
  }
  const created = await admin.raw("POST", path, { url: receiverUrl, events: ["*"] });
  const id = (created.body as { webhook: { id: string } }).webhook.id;
  expect((await admin.raw("PATCH", `${path}/${id}`, {})).status).toBe(400);
  expect((await admin.raw("POST", `${path}/${id}/rotate-secret`, { graceSeconds: -1 })).status).toBe(400);
  expect((await admin.raw("GET", `${path}/${id}/deliveries?limit=0`)).status).toBe(400);
});

test("with private networks refused, URLs reaching loopback, link-local, unique-local or private names are refused at save", async () => {
  const { admin, orgId } = await adminOrg(strict);
  const path = `/api/orgs/${orgId}/webhooks`;
  for (const url of [
    "http://127.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00::1]/hook",
    "http://10.1.2.3/hook",
    "http://internal.test/hook",
    "http://mixed.test/hook",
    "http://nowhere.test/hook",
  ]) {
    const result = await admin.raw("POST", path, { url, events: ["*"] });
    expect(`${url} ${result.status}`).toBe(`${url} 400`);
    expect(errorOf(result).error.field).toBe("url");
  }
  const saved = await admin.raw("POST", path, { url: "https://public.test/hook", events: ["*"] });
  expect(saved.status).toBe(201);
  const id = (saved.body as { webhook: { id: string } }).webhook.id;
  const moved = await admin.raw("PATCH", `${path}/${id}`, { url: "http://internal.test/hook" });
  expect(moved.status).toBe(400);
});

test("ping is signed; rotation signs with both secrets during the grace, then with the new one only", async () => {
  const { admin, orgId } = await adminOrg(open);
  const hooks = admin.api.api.orgs[":orgId"].webhooks;
  const { webhook, secret } = await ok(
    hooks.$post({ param: { orgId }, json: { url: receiverUrl, events: ["*"] } }),
    201,
  );
  const ping = () => ok(hooks[":webhookId"].ping.$post({ param: { orgId, webhookId: webhook.id } }));
  const last = () => received.at(-1) as Received;

  const first = await ping();
  expect(first).toMatchObject({ eventType: "PING", status: "delivered", seq: null });
  expect(first.attempts[0]?.statusCode).toBe(200);
  expect(first.attempts[0]?.response).toHaveLength(4096);
  expect(new Webhook(secret).verify(last().body, last().headers)).toMatchObject({ type: "PING" });

  const rotated = await ok(
    hooks[":webhookId"]["rotate-secret"].$post({ param: { orgId, webhookId: webhook.id }, json: {} }),
  );
  expect(rotated.secret).not.toBe(secret);
  expect(rotated.webhook.previousSecretExpiresAt).not.toBeNull();
  await ping();
  expect(last().headers["webhook-signature"]?.split(" ")).toHaveLength(2);
  expect(() => new Webhook(secret).verify(last().body, last().headers)).not.toThrow();
  expect(() => new Webhook(rotated.secret).verify(last().body, last().headers)).not.toThrow();

  const again = await ok(
    hooks[":webhookId"]["rotate-secret"].$post({
      param: { orgId, webhookId: webhook.id },
      json: { graceSeconds: 0 },
    }),
  );
  await ping();
  expect(() => new Webhook(rotated.secret).verify(last().body, last().headers)).toThrow();
  expect(() => new Webhook(again.secret).verify(last().body, last().headers)).not.toThrow();
});

test("a failed ping is in the log; redelivering it sends the same message again and marks it delivered", async () => {
  const { admin, orgId } = await adminOrg(open);
  const hooks = admin.api.api.orgs[":orgId"].webhooks;
  const { webhook } = await ok(hooks.$post({ param: { orgId }, json: { url: receiverUrl, events: ["*"] } }), 201);
  answers = [500];
  const failed = await ok(hooks[":webhookId"].ping.$post({ param: { orgId, webhookId: webhook.id } }));
  expect(failed.status).toBe("failed");
  expect(failed.attempts[0]).toMatchObject({ statusCode: 500, error: "HTTP 500" });
  const firstId = received.at(-1)?.headers["webhook-id"];
  const redelivered = await ok(
    hooks[":webhookId"].deliveries[":deliveryId"].redeliver.$post({
      param: { orgId, webhookId: webhook.id, deliveryId: failed.id },
    }),
  );
  expect(redelivered.status).toBe("delivered");
  expect(redelivered.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
  expect(received.at(-1)?.headers["webhook-id"]).toBe(firstId);
  const log = await ok(hooks[":webhookId"].deliveries.$get({ param: { orgId, webhookId: webhook.id }, query: {} }));
  expect(log.map((d) => d.id)).toEqual([failed.id]);
  await refused(
    hooks[":webhookId"].deliveries[":deliveryId"].redeliver.$post({
      param: { orgId, webhookId: webhook.id, deliveryId: "msg_missing" },
    }),
    404,
  );
});
