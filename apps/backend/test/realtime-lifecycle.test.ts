import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

/** SPEC §7 lifecycle: org deletion, member removal and the PONG deadline reach open sockets. */
let backend: TestBackend;
let other: TestBackend;
let owner: TestUser;
const sockets: TestSocket[] = [];
function socket(on: TestBackend, options: ConstructorParameters<typeof TestSocket>[1] = {}): TestSocket {
  const s = new TestSocket(on.url, options);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  backend = await startTestBackend();
  // A second instance on the same database, polling rarely: it learns of a deletion by NOTIFY.
  other = await startTestBackend({ eventPollMs: 60_000 });
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await backend.stop();
  await other.stop();
});

const orgOf = (user: TestUser) => user.api.api.orgs[":orgId"];

async function orgWithMember() {
  const slug = `lc-${crypto.randomUUID().slice(0, 8)}`;
  const org = await ok(owner.api.api.orgs.$post({ json: { name: "Lifecycle", slug, prefix: "LC" } }), 201);
  const param = { orgId: org.id };
  await ok(orgOf(owner).$patch({ param, json: { publicBoard: true, publicFields: ["status"] } }));
  const member = await backend.signUp("Member");
  const invite = await ok(orgOf(owner).invites.$post({ param, json: {} }));
  await ok(member.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
  return { org, member };
}

describe("deleting an org", () => {
  test("every socket in its rooms, on this instance and another, gets DELETE_ORG and leaves the rooms", async () => {
    const { org, member } = await orgWithMember();
    const ownerTasks = socket(backend, { cookie: owner.cookie });
    const memberOnOther = socket(other, { cookie: member.cookie });
    const anonymous = socket(backend);
    for (const s of [ownerTasks, memberOnOther, anonymous]) await s.opened();
    expect((await ownerTasks.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");
    expect((await ownerTasks.subscribe(org.id, "admin")).type).toBe("SUBSCRIBED");
    expect((await memberOnOther.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");
    expect((await anonymous.subscribe(org.id, "public")).type).toBe("SUBSCRIBED");
    const roomsBefore = { here: backend.hub.stats().rooms, there: other.hub.stats().rooms };

    await ok(orgOf(owner).$delete({ param: { orgId: org.id } }), 200);

    for (const s of [ownerTasks, memberOnOther, anonymous]) {
      const deleted = await s.next((m) => m.type === "DELETE_ORG", 3000);
      expect(deleted.data.org.id).toBe(org.id);
      expect(deleted.meta.orgId).toBe(org.id);
      const left = await s.next((m) => m.type === "UNSUBSCRIBED" && m.data.reason === "org_deleted");
      expect(left.data.orgId).toBe(org.id);
    }
    // Both admin and tasks rooms told the owner's socket, and the rooms are gone.
    expect(
      ownerTasks.messages
        .filter((m) => m.type === "UNSUBSCRIBED")
        .map((m) => m.data.channel)
        .sort(),
    ).toEqual(["admin", "tasks"]);
    expect(backend.hub.stats().rooms).toBe(roomsBefore.here - 3);
    expect(other.hub.stats().rooms).toBe(roomsBefore.there - 1);
    // The sockets stay open for other orgs.
    expect(ownerTasks.readyState).toBe(WebSocket.OPEN);
  });
});

describe("removing a member", () => {
  test("their sockets get UNSUBSCRIBED, then are closed with 4403; the others stay", async () => {
    const { org, member } = await orgWithMember();
    const removed = socket(backend, { cookie: member.cookie });
    const stays = socket(backend, { cookie: owner.cookie });
    await removed.opened();
    await stays.opened();
    await removed.subscribe(org.id, "tasks");
    await stays.subscribe(org.id, "tasks");

    await ok(orgOf(owner).members[":userId"].$delete({ param: { orgId: org.id, userId: member.id } }), 200);
    expect((await removed.next((m) => m.type === "UNSUBSCRIBED")).data.reason).toBe("membership_revoked");
    const closed = await removed.closed;
    expect(closed.code).toBe(4403);

    await ok(orgOf(owner).tasks.$post({ param: { orgId: org.id }, json: { title: "After" } }), 201);
    await stays.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "After");
    expect(stays.readyState).toBe(WebSocket.OPEN);
  });

  test("closeSocketsOf closes every socket of one user, whatever it is subscribed to", async () => {
    const user = await backend.signUp("Signed out");
    const a = socket(backend, { cookie: user.cookie });
    const b = socket(backend, { cookie: user.cookie });
    const bystander = socket(backend, { cookie: owner.cookie });
    for (const s of [a, b, bystander]) await s.opened();
    expect(backend.hub.closeSocketsOf(user.id, { code: 4401, reason: "signed out" })).toBe(2);
    expect((await a.closed).code).toBe(4401);
    expect((await b.closed).code).toBe(4401);
    bystander.send({ type: "PONG" });
    expect(bystander.readyState).toBe(WebSocket.OPEN);
  });
});

describe("heartbeat", () => {
  const pingIntervalMs = 400;
  const pongTimeoutMs = 1000;
  let quick: TestBackend;
  beforeAll(async () => {
    quick = await startTestBackend({ hub: { pingIntervalMs, pongTimeoutMs } });
  });
  afterAll(async () => {
    await quick.stop();
  });

  test("a silent client is closed with 4408 at WS_PONG_TIMEOUT_MS, not a ping interval later", async () => {
    // Sockets opened at different moments: the close must follow each one's own deadline.
    const results: Promise<number>[] = [];
    for (let i = 0; i < 4; i++) {
      const s = socket(quick);
      s.autoPong = false;
      await s.opened();
      const openedAt = performance.now();
      results.push(
        s.closed.then((closed) => {
          expect(closed.code).toBe(4408);
          return performance.now() - openedAt;
        }),
      );
      // Stagger the next socket by a quarter of the ping interval (wait on a timer the test owns).
      await new Promise((resolve) => setTimeout(resolve, pingIntervalMs / 4));
    }
    const lifetimes = await Promise.all(results);
    for (const lifetime of lifetimes) {
      expect(lifetime).toBeGreaterThan(pongTimeoutMs - 50);
      expect(lifetime).toBeLessThan(pongTimeoutMs + 150);
    }
  });

  test("a client that answers PINGs stays open; when it stops, it is closed one timeout after its last PONG", async () => {
    const s = socket(quick);
    await s.opened();
    // Three PING/PONG rounds: well past the timeout since the socket opened.
    await s.next((m) => m.type === "PING", 2000, 0);
    const pings = () => s.messages.filter((m) => m.type === "PING").length;
    await s.next(() => pings() >= 3, 3000);
    expect(s.readyState).toBe(WebSocket.OPEN);
    s.autoPong = false;
    const lastPongAt = performance.now();
    const closed = await s.closed;
    const silence = performance.now() - lastPongAt;
    expect(closed.code).toBe(4408);
    expect(silence).toBeLessThan(pongTimeoutMs + 150);
    expect(silence).toBeGreaterThan(pongTimeoutMs - pingIntervalMs - 50);
  });
});
