import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TCreateTaskInput, TPermission } from "@tandem/contracts";
import { ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

let backend: TestBackend;
let owner: TestUser;
const sockets: TestSocket[] = [];
function socket(options: ConstructorParameters<typeof TestSocket>[1] = {}, on = backend): TestSocket {
  const s = new TestSocket(on.url, options);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await backend.stop();
});

const orgOf = (user: TestUser) => user.api.api.orgs[":orgId"];
function createTask(
  orgId: string,
  json: TCreateTaskInput,
  as: TestUser = owner,
  init?: { headers: Record<string, string> },
) {
  return ok(orgOf(as).tasks.$post({ param: { orgId }, json }, init), 201);
}

async function orgWithMember(publicBoard = false, permissions: TPermission[] = []) {
  const slug = `live-${crypto.randomUUID().slice(0, 8)}`;
  const org = await ok(owner.api.api.orgs.$post({ json: { name: "Live", slug, prefix: "LV" } }));
  const param = { orgId: org.id };
  if (publicBoard) {
    await ok(owner.api.api.orgs[":orgId"].$patch({ param, json: { publicBoard: true, publicFields: ["status"] } }));
  }
  const member = await backend.signUp("Member");
  const team = await ok(owner.api.api.orgs[":orgId"].teams.$post({ param, json: { name: "Members", permissions } }));
  const invite = await ok(owner.api.api.orgs[":orgId"].invites.$post({ param, json: { teamId: team.id } }));
  await ok(member.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
  return { org, member };
}

describe("delivery", () => {
  test("a PATCH by one member reaches the other with the right seq", async () => {
    const { org, member } = await orgWithMember();
    const task = await createTask(org.id, { title: "Live one" });
    const watcher = socket({ cookie: member.cookie });
    const status = await watcher.opened();
    expect(status.data).toMatchObject({ authenticated: true, wsClientId: expect.any(String) });
    expect((await watcher.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");

    await ok(
      orgOf(owner).tasks[":taskId"].$patch({
        param: { orgId: org.id, taskId: task.id },
        json: { title: "Edited live", version: 1 },
      }),
      200,
    );
    const update = await watcher.next((m) => m.type === "UPDATE_TASK");
    expect(update.data.task.title).toBe("Edited live");
    const { events } = await ok(orgOf(owner).events.$get({ param: { orgId: org.id }, query: { after: "0" } }));
    expect(update.meta).toMatchObject({ orgId: org.id, channel: "tasks", seq: events.at(-1)?.seq });
    expect(update.scope).toBe("CHANNEL");
  });

  test("every kind of mutation is broadcast, in seq order", async () => {
    const { org } = await orgWithMember();
    const watcher = socket({ cookie: owner.cookie });
    await watcher.opened();
    await watcher.subscribe(org.id, "tasks");
    const orgId = org.id;
    const label = await ok(orgOf(owner).labels.$post({ param: { orgId }, json: { name: "bug" } }));
    const task = await createTask(orgId, { title: "T", labelIds: [label.id] });
    const param = { orgId, taskId: task.id };
    const tasks = orgOf(owner).tasks[":taskId"];
    await ok(tasks.move.$post({ param, json: { status: "done" } }));
    const comment = await ok(tasks.comments.$post({ param, json: { body: "hi" } }));
    await ok(tasks.comments[":commentId"].$delete({ param: { ...param, commentId: comment.id } }));
    await ok(tasks.$delete({ param }));
    await ok(orgOf(owner).categories.$post({ param: { orgId }, json: { name: "Ops" } }));
    const events = await watcher.waitForEvents(7);
    expect(events.map((e) => e.type)).toEqual([
      "CREATE_LABEL",
      "CREATE_TASK",
      "UPDATE_TASK",
      "CREATE_COMMENT",
      "DELETE_COMMENT",
      "DELETE_TASK",
      "CREATE_CATEGORY",
    ]);
    const seqs = events.map((e) => e.meta.seq ?? 0);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  test("the sender's own echo is skipped when its request names its socket", async () => {
    const { org, member } = await orgWithMember(false, ["tasks.create"]);
    const mine = socket({ cookie: owner.cookie });
    const theirs = socket({ cookie: member.cookie });
    const myId = (await mine.opened()).data.wsClientId;
    await theirs.opened();
    await mine.subscribe(org.id, "tasks");
    await theirs.subscribe(org.id, "tasks");
    await createTask(org.id, { title: "Mine" }, owner, { headers: { "x-ws-client-id": myId } });
    await theirs.next((m) => m.type === "CREATE_TASK");
    // Someone else cannot silence my socket by naming it.
    await createTask(org.id, { title: "Theirs" }, member, { headers: { "x-ws-client-id": myId } });
    await mine.next((m) => m.type === "CREATE_TASK");
    await mine.settled();
    expect(mine.events().map((e) => e.data.task.title)).toEqual(["Theirs"]);
    expect(theirs.events().map((e) => e.data.task.title)).toEqual(["Mine", "Theirs"]);
  });

  test("presence: joining and leaving are announced to the room, with no e-mails", async () => {
    const { org, member } = await orgWithMember();
    const first = socket({ cookie: owner.cookie });
    await first.opened();
    await first.subscribe(org.id, "tasks");
    const second = socket({ cookie: member.cookie });
    await second.opened();
    const subscribed = await second.subscribe(org.id, "tasks");
    // Present as of the last presence batch; a join after it arrives in the next PRESENCE.
    expect(subscribed.type).toBe("SUBSCRIBED");
    const byOwner = (list: { user: { id: string } }[]) => list.some((p) => p.user.id === owner.id);
    await second.next((m) =>
      m.type === "SUBSCRIBED" ? byOwner(m.data.present) : m.type === "PRESENCE" && byOwner(m.data.joined),
    );
    const names = (list: { user: { id: string } }[], id: string) => list.some((p) => p.user.id === id);
    const joined = await first.next((m) => m.type === "PRESENCE" && names(m.data.joined, member.id));
    expect(joined.data.joined.find((p: { user: { id: string } }) => p.user.id === member.id).user).toEqual({
      id: member.id,
      name: "Member",
      image: null,
    });
    expect(JSON.stringify(joined)).not.toContain("@");
    second.close();
    const left = await first.next((m) => m.type === "PRESENCE" && names(m.data.left, member.id));
    expect(left.data.left.map((p: { user: { id: string } }) => p.user.id)).toEqual([member.id]);
  });
});

describe("authorization", () => {
  test("a non-member's SUBSCRIBE to tasks gets ERROR and receives nothing afterwards", async () => {
    const { org } = await orgWithMember();
    const outsider = await backend.signUp("Outsider");
    const spy = socket({ cookie: outsider.cookie });
    await spy.opened();
    const answer = await spy.subscribe(org.id, "tasks");
    expect(answer.type).toBe("ERROR");
    expect(answer.data.code).toBe("NOT_FOUND");
    const witness = socket({ cookie: owner.cookie });
    await witness.opened();
    await witness.subscribe(org.id, "tasks");
    const anonymous = socket({});
    expect((await anonymous.opened()).data.authenticated).toBe(false);
    expect((await anonymous.subscribe(org.id, "tasks")).data.code).toBe("UNAUTHORIZED");
    expect((await anonymous.subscribe(org.id, "public")).data.code).toBe("NOT_FOUND"); // no public board

    await createTask(org.id, { title: "Secret", visibility: "public" });
    // Barrier: the hub has fanned the event out (a member saw it), and each socket has answered since.
    await witness.next((m) => m.type === "CREATE_TASK");
    await spy.settled();
    await anonymous.settled();
    expect(spy.events()).toEqual([]);
    expect(anonymous.events()).toEqual([]);
  });

  test("an anonymous client on public gets public task changes without private fields, and nothing private", async () => {
    const { org } = await orgWithMember(true);
    const visitor = socket({ query: `orgId=${org.id}` });
    await visitor.opened();
    // ?orgId= auto-subscribes to the org's public channel.
    const auto = await visitor.nextOfType("SUBSCRIBED");
    expect(auto.data.channel).toBe("public");
    const publicTask = await createTask(org.id, {
      title: "Shown",
      description: "internal notes",
      priority: "urgent",
      visibility: "public",
    });
    await createTask(org.id, { title: "Hidden", visibility: "private" });
    const param = { orgId: org.id, taskId: publicTask.id };
    await ok(orgOf(owner).tasks[":taskId"].$patch({ param, json: { status: "in_progress", version: 1 } }));
    await ok(orgOf(owner).tasks[":taskId"].$patch({ param, json: { visibility: "private", version: 2 } }));
    const events = await visitor.waitForEvents(3);
    await visitor.settled();
    expect(visitor.events().map((e) => e.type)).toEqual(["CREATE_TASK", "UPDATE_TASK", "DELETE_TASK"]);
    expect(events[0]?.data.task).toMatchObject({ title: "Shown", status: "todo" });
    expect(events[0]?.data.task.description).toBeUndefined();
    expect(events[0]?.data.task.priority).toBeUndefined();
    expect(events[0]?.data.task.createdBy).toBeUndefined();
    expect(events[2]?.data.task).toEqual({ id: publicTask.id, key: publicTask.key, number: publicTask.number });
    const everything = JSON.stringify(visitor.messages);
    expect(everything).not.toContain("Hidden");
    expect(everything).not.toContain("internal notes");
    expect(everything).not.toContain(owner.id);
  });

  test("a cross-site upgrade with a valid cookie is refused before the upgrade", async () => {
    const response = await fetch(`${backend.url}/ws`, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        origin: "https://evil.example",
        cookie: owner.cookie,
      },
    });
    expect(response.status).toBe(403);
    const evil = socket({ cookie: owner.cookie, origin: "https://evil.example" });
    const closed = await evil.closed;
    expect(closed.code).not.toBe(1000);
    expect(evil.messages).toEqual([]);
  });

  test("a removed member receives 0 events after removal", async () => {
    const { org, member } = await orgWithMember();
    const removed = socket({ cookie: member.cookie });
    const stays = socket({ cookie: owner.cookie });
    await removed.opened();
    await stays.opened();
    await removed.subscribe(org.id, "tasks");
    await stays.subscribe(org.id, "tasks");
    await createTask(org.id, { title: "Before" });
    await removed.next((m) => m.type === "CREATE_TASK");
    await ok(orgOf(owner).members[":userId"].$delete({ param: { orgId: org.id, userId: member.id } }), 200);
    const notice = await removed.next((m) => m.type === "UNSUBSCRIBED");
    expect(notice.data.reason).toBe("membership_revoked");
    const countAtRemoval = removed.events().length;
    await createTask(org.id, { title: "After" });
    await stays.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "After");
    // The socket is closed (SPEC §7): nothing can arrive on it any more.
    expect((await removed.closed).code).toBe(4403);
    expect(removed.events().length).toBe(countAtRemoval);
    expect(JSON.stringify(removed.messages)).not.toContain('"After"');
    // A new one cannot come back.
    const again = socket({ cookie: member.cookie });
    await again.opened();
    expect((await again.subscribe(org.id, "tasks")).data.code).toBe("NOT_FOUND");
  });

  test("losing the admin permission drops the admin channel at once", async () => {
    const { org, member } = await orgWithMember();
    const param = { orgId: org.id };
    const team = await ok(
      orgOf(owner).teams.$post({ param, json: { name: "Admins 2", permissions: ["admin.manageTeams"] } }),
    );
    await ok(
      orgOf(owner).teams[":teamId"].members[":userId"].$put({
        param: { ...param, teamId: team.id, userId: member.id },
      }),
    );
    const adminSocket = socket({ cookie: member.cookie });
    await adminSocket.opened();
    expect((await adminSocket.subscribe(org.id, "admin")).type).toBe("SUBSCRIBED");
    const witness = socket({ cookie: owner.cookie });
    await witness.opened();
    await witness.subscribe(org.id, "admin");
    const plain = await backend.signUp("Plain");
    const invite = await ok(orgOf(owner).invites.$post({ param, json: {} }));
    await ok(plain.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
    const plainSocket = socket({ cookie: plain.cookie });
    await plainSocket.opened();
    expect((await plainSocket.subscribe(org.id, "admin")).data.code).toBe("FORBIDDEN");

    await ok(orgOf(owner).teams[":teamId"].$patch({ param: { ...param, teamId: team.id }, json: { permissions: [] } }));
    const revoked = await adminSocket.next((m) => m.type === "UNSUBSCRIBED");
    expect(revoked.data).toMatchObject({ channel: "admin", reason: "permission_revoked" });
    const before = adminSocket.events().length;
    await ok(orgOf(owner).teams.$post({ param, json: { name: "Secret team" } }));
    await witness.next((m) => m.type === "CREATE_TEAM" && m.data.team?.name === "Secret team");
    await adminSocket.settled();
    expect(adminSocket.events().length).toBe(before);
    expect(JSON.stringify(adminSocket.messages)).not.toContain("Secret team");
  });
});

describe("protocol hygiene", () => {
  test("malformed JSON, unknown types and missing fields get ERROR; the socket stays usable", async () => {
    const { org } = await orgWithMember();
    const client = socket({ cookie: owner.cookie });
    await client.opened();
    client.sendRaw("{not json");
    expect((await client.nextOfType("ERROR")).data.code).toBe("BAD_MESSAGE");
    client.send({ type: "DANCE" });
    expect((await client.next((m) => m.type === "ERROR" && m.data.code === "UNKNOWN_TYPE")).data.message).toContain(
      "DANCE",
    );
    client.send({ type: "SUBSCRIBE", channel: "tasks" });
    const missing = await client.next((m) => m.type === "ERROR" && m.data.message.startsWith("orgId"));
    expect(missing.data.code).toBe("BAD_MESSAGE");
    // The waiting room only accepts SUBSCRIBE, UNSUBSCRIBE and PONG.
    client.send({ type: "PING" });
    expect((await client.next((m) => m.type === "ERROR" && m.data.code === "NOT_SUBSCRIBED")).data.offences).toBe(4);
    expect((await client.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");
    await createTask(org.id, { title: "Still works" });
    expect((await client.next((m) => m.type === "CREATE_TASK")).data.task.title).toBe("Still works");
  });

  test("a 1 MB frame closes the socket with 1009", async () => {
    const client = socket({ cookie: owner.cookie });
    await client.opened();
    client.sendRaw("x".repeat(1024 * 1024));
    expect((await client.closed).code).toBe(1009);
  });

  test("a message flood is rate-limited with warnings, then closed with 1008", async () => {
    const client = socket({ cookie: owner.cookie });
    await client.opened();
    for (let i = 0; i < 50; i++) client.send({ type: "PONG" });
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    const warnings = client.messages.filter((m) => m.type === "ERROR" && m.data.code === "RATE_LIMITED");
    expect(warnings.length).toBeGreaterThan(0);
  });
});
