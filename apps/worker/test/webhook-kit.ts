import { type DbHandle, schema } from "@tandem/database";
import { createLabel, createWebhook, DEFAULT_WEBHOOK_NETWORK, type WebhookNetwork } from "@tandem/domain";
import { createTestOrg, systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { DEV_ENCRYPTION_KEY } from "@tandem/util/server";
import { eq } from "drizzle-orm";

export type Received = { headers: Record<string, string>; body: string; at: number };

/**
 * A webhook receiver on loopback (a real Bun.serve): records every request, answers what
 * `answer` says for the n-th one (0-based), 200 by default.
 */
export function startReceiver(answer: (n: number, body: string) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const body = await request.text();
      const n = received.length;
      received.push({ headers: Object.fromEntries(request.headers), body, at: Date.now() });
      return new Response(`answer ${n}`, { status: await answer(n, body) });
    },
  });
  return { received, port: server.port, url: `http://127.0.0.1:${server.port}/hook`, stop: () => server.stop(true) };
}

/** An org with an owner, and a context that may save loopback URLs (the worker decides at send time). */
export async function webhookOrg(handle: DbHandle, options: Partial<WebhookNetwork> = {}) {
  const userId = `usr_${uniqueSuffix()}`;
  await handle.db.insert(schema.user).values({ id: userId, name: "Owner", email: `${userId}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId: userId, prefix: "HOOK" });
  const ctx = await systemCtx(handle.db, org.id, {
    services: {
      encryptionKey: DEV_ENCRYPTION_KEY,
      webhooks: { ...DEFAULT_WEBHOOK_NETWORK, allowPrivateNetworks: true, ...options },
    },
  });
  return {
    org,
    ctx,
    hook: (url: string, events: string[] = ["*"]) =>
      createWebhook({ ctx, input: { url, events: events as ["*"], projectId: null, enabled: true } }),
    /** One event members see (CREATE_LABEL). */
    label: (name = `l-${uniqueSuffix()}`) => createLabel({ ctx, input: { name, color: "#123456" } }),
  };
}

export async function deliveriesOf(handle: DbHandle, webhookId: string) {
  return handle.db
    .select()
    .from(schema.outboundDelivery)
    .where(eq(schema.outboundDelivery.webhookId, webhookId))
    .orderBy(schema.outboundDelivery.seq);
}
