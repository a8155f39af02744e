import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SeqCursor } from "@tandem/contracts";
import { ok, refused, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

// SPEC §7 points the protocol page settles: what CONNECTION_STATUS says, which rooms a socket
// keeps, what the subscriber itself is told, and how the sender whose echo is skipped keeps a
// cursor without a gap (X-Event-Seq on every mutation response).

let backend: TestBackend;
let owner: TestUser;
const sockets: TestSocket[] = [];
function socket(options: ConstructorParameters<typeof TestSocket>[1] = {}): TestSocket {
  const s = new TestSocket(backend.url, options);
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

async function orgWithMember() {
  const slug = `proto-${crypto.randomUUID().slice(0, 8)}`;
  const org = await ok(owner.api.api.orgs.$post({ json: { name: "Proto", slug, prefix: "PR" } }), 201);
  const member = await backend.signUp("Member");
  const param = { orgId: org.id };
  const team = await ok(
    orgOf(owner).teams.$post({ param, json: { name: "Crew", permissions: ["tasks.create", "tasks.edit"] } }),
  );
  const invite = await ok(orgOf(owner).invites.$post({ param, json: { teamId: team.id } }));
  await ok(member.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
  return { org, member };
}

function seqOf(result: { headers: Headers }): number | null {
  const value = result.headers.get("x-event-seq");
  return value === null ? null : Number(value);
}

describe("CONNECTION_STATUS", () => {
  test("names the signed-in user, and no one on an anonymous socket", async () => {
    const signedIn = socket({ cookie: owner.cookie });
    expect((await signedIn.opened()).data).toEqual({
      authenticated: true,
      userId: owner.id,
      wsClientId: expect.any(String),
    });
    const anonymous = socket();
    expect((await anonymous.opened()).data).toEqual({
      authenticated: false,
      userId: null,
      wsClientId: expect.any(String),
    });
  });
});

describe("the sender's cursor", () => {
  test("every mutation answers with the seq of its event, which the sender's socket never receives", async () => {
    const { org, member } = await orgWithMember();
    const mine = socket({ cookie: owner.cookie });
    const myId = (await mine.opened()).data.wsClientId as string;
    const theirs = socket({ cookie: member.cookie });
    await theirs.opened();
    const subscribed = await mine.subscribe(org.id, "tasks");
    await theirs.subscribe(org.id, "tasks");
    const as = { headers: { "x-ws-client-id": myId } };
    const orgId = org.id;
    const tasks = orgOf(owner).tasks;
    const task = () => ({ orgId, taskId });

    let cursor = subscribed.data.lastSeq as number;
    let taskId = "";
    // Each answer must be 2xx (`ok`) and carry the next seq.
    const mutations: [string, () => Promise<{ ok: boolean; headers: Headers }>][] = [
      [
        "create task",
        async () => {
          const answer = await tasks.$post({ param: { orgId }, json: { title: "Mine" } }, as);
          taskId = (await ok(Promise.resolve(answer), 201)).id;
          return answer;
        },
      ],
      ["patch", () => tasks[":taskId"].$patch({ param: task(), json: { title: "Edited", version: 1 } }, as)],
      ["move", () => tasks[":taskId"].move.$post({ param: task(), json: { status: "done" } }, as)],
      ["assign", () => tasks[":taskId"].assignees.$put({ param: task(), json: { userIds: [member.id] } }, as)],
      ["comment", () => tasks[":taskId"].comments.$post({ param: task(), json: { body: "hi" } }, as)],
      ["label", () => orgOf(owner).labels.$post({ param: { orgId }, json: { name: "bug", color: "#ef4444" } }, as)],
      ["delete", () => tasks[":taskId"].$delete({ param: task() }, as)],
    ];

    for (const [name, run] of mutations) {
      const result = await run();
      expect({ name, ok: result.ok }).toEqual({ name, ok: true });
      const seq = seqOf(result);
      // Gapless from the sender's side: each response carries the very next seq.
      expect({ name, seq }).toEqual({ name, seq: cursor + 1 });
      cursor = seq ?? cursor;
      const echoed = await theirs.next((m) => m.meta.seq === cursor);
      expect(echoed.meta.seq).toBe(cursor);
    }
    expect(theirs.events().map((e) => e.meta.seq)).toEqual(mutations.map((_, i) => subscribed.data.lastSeq + i + 1));

    // Someone else's change comes next: the sender's cursor meets it with no gap.
    const other = await orgOf(member).tasks.$post({ param: { orgId }, json: { title: "Theirs" } });
    await ok(Promise.resolve(other), 201);
    const next = await mine.next((m) => m.type === "CREATE_TASK");
    expect(next.meta.seq).toBe(cursor + 1);
    expect(seqOf(other)).toBe(cursor + 1);
    expect(mine.events().map((e) => e.meta.seq)).toEqual([cursor + 1]);
    cursor += 1;

    // A resume from the advanced cursor replays nothing the sender already has.
    const resumed = socket({ cookie: owner.cookie });
    await resumed.opened();
    const again = await resumed.subscribe(org.id, "tasks", cursor);
    expect(again.data.lastSeq).toBe(cursor);
    const marker = await orgOf(member).tasks.$post({ param: { orgId }, json: { title: "After the resume" } });
    const first = await resumed.next((m) => m.meta.seq !== undefined);
    expect(first.meta.seq).toBe(seqOf(marker) ?? -1);
    expect(first.data.task.title).toBe("After the resume");
  });

  test("reads and refused writes carry no seq; the browser may read the header", async () => {
    const { org, member } = await orgWithMember();
    const orgId = org.id;
    const createdAnswer = await orgOf(owner).tasks.$post(
      { param: { orgId }, json: { title: "One" } },
      { headers: { origin: WEB_ORIGIN } },
    );
    const created = await ok(Promise.resolve(createdAnswer), 201);
    expect(seqOf(createdAnswer)).toEqual(expect.any(Number));
    expect(createdAnswer.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("x-event-seq");

    const param = { orgId, taskId: created.id };
    const board = await orgOf(owner).tasks.$get({ param: { orgId }, query: {} });
    expect(board.status).toBe(200);
    expect(seqOf(board)).toBeNull();
    const one = await orgOf(owner).tasks[":taskId"].$get({ param });
    expect(one.status).toBe(200);
    expect(seqOf(one)).toBeNull();
    const stale = await orgOf(owner).tasks[":taskId"].$patch({ param, json: { title: "x", version: 99 } });
    await refused(Promise.resolve(stale), 409);
    expect(seqOf(stale)).toBeNull();
    const forbidden = await orgOf(member).labels.$post({ param: { orgId }, json: { name: "nope", color: "#000000" } });
    await refused(Promise.resolve(forbidden), 403);
    expect(seqOf(forbidden)).toBeNull();
    const invalid = await orgOf(owner).tasks.$post({ param: { orgId }, json: { title: "" } });
    await refused(Promise.resolve(invalid), 400);
    expect(seqOf(invalid)).toBeNull();
  });
});

describe("SeqCursor, the cursor the board keeps", () => {
  test("a response that overtakes someone else's earlier event does not make the client drop it", async () => {
    const { org, member } = await orgWithMember();
    const mine = socket({ cookie: owner.cookie });
    const myId = (await mine.opened()).data.wsClientId as string;
    const cursor = new SeqCursor();
    cursor.start((await mine.subscribe(org.id, "tasks")).data.lastSeq);
    const start = cursor.lastSeq ?? -1;

    // Theirs commits first; our response arrives before their event is read off the socket.
    const param = { orgId: org.id };
    const theirs = await orgOf(member).tasks.$post({ param, json: { title: "Theirs first" } });
    const ours = await orgOf(owner).tasks.$post(
      { param, json: { title: "Ours second" } },
      { headers: { "x-ws-client-id": myId } },
    );
    expect([theirs.status, ours.status]).toEqual([201, 201]);
    expect([seqOf(theirs), seqOf(ours)]).toEqual([start + 1, start + 2]);
    cursor.acknowledge(seqOf(ours) ?? -1);
    expect(cursor.lastSeq).toBe(start); // not past theirs, which is still on its way

    const event = await mine.next((m) => m.type === "CREATE_TASK");
    expect(cursor.accept(event.meta.seq ?? -1)).toBe(true);
    expect(event.data.task.title).toBe("Theirs first");
    expect(cursor.lastSeq).toBe(start + 2); // and now past ours too: no gap, nothing to replay

    // Our own change replayed after a resume is not applied twice.
    const replaying = socket({ cookie: owner.cookie });
    await replaying.opened();
    await replaying.subscribe(org.id, "tasks", start);
    const replayed = await replaying.waitForEvents(2);
    const again = new SeqCursor();
    again.start(start);
    again.acknowledge(start + 2);
    expect(replayed.map((m) => again.accept(m.meta.seq ?? -1))).toEqual([true, false]);
    expect(again.lastSeq).toBe(start + 2);
  });

  test("own changes next to the cursor move it at once; later events prune what they passed", () => {
    const cursor = new SeqCursor();
    cursor.acknowledge(12); // before SUBSCRIBED
    cursor.start(10);
    expect(cursor.lastSeq).toBe(10);
    cursor.acknowledge(11);
    expect(cursor.lastSeq).toBe(12);
    cursor.acknowledge(14);
    expect(cursor.lastSeq).toBe(12);
    expect(cursor.accept(15)).toBe(true); // 13 was not for this channel: the hub passed 14 too
    expect(cursor.lastSeq).toBe(15);
    expect(cursor.accept(14)).toBe(false);
    cursor.reset(20);
    expect(cursor.accept(20)).toBe(false);
    expect(cursor.accept(21)).toBe(true);
  });
});

describe("subscriptions", () => {
  test("a second SUBSCRIBE keeps the earlier rooms: tasks events still arrive after joining admin", async () => {
    const { org, member } = await orgWithMember();
    const s = socket({ cookie: owner.cookie });
    await s.opened();
    await s.subscribe(org.id, "tasks");
    expect((await s.subscribe(org.id, "admin")).type).toBe("SUBSCRIBED");
    await ok(orgOf(member).tasks.$post({ param: { orgId: org.id }, json: { title: "Still live" } }));
    const created = await s.next((m) => m.type === "CREATE_TASK");
    expect(created.meta.channel).toBe("tasks");
  });

  test("the subscriber gets SUBSCRIBED with who is present, the others a PRESENCE diff naming it", async () => {
    const { org, member } = await orgWithMember();
    const first = socket({ cookie: owner.cookie });
    const firstId = (await first.opened()).data.wsClientId;
    await first.subscribe(org.id, "tasks");
    const second = socket({ cookie: member.cookie });
    const secondId = (await second.opened()).data.wsClientId;
    const subscribed = await second.subscribe(org.id, "tasks");
    // Present as of the last presence batch; a join after it arrives in the next PRESENCE.
    expect(subscribed.type).toBe("SUBSCRIBED");
    const byOwner = (list: { user: { id: string } }[]) => list.some((p) => p.user.id === owner.id);
    await second.next((m) =>
      m.type === "SUBSCRIBED" ? byOwner(m.data.present) : m.type === "PRESENCE" && byOwner(m.data.joined),
    );
    const ids = (list: { wsClientId: string }[]) => list.map((p) => p.wsClientId);
    const joined = await first.next((m) => m.type === "PRESENCE" && ids(m.data.joined).includes(secondId));
    expect(joined.scope).toBe("CHANNEL");
    // The subscriber hears of no one it was not told of: its own join (clients skip it), and
    // the first socket's if that fell in the same batch.
    await second.settled();
    for (const diff of second.messages.filter((m) => m.type === "PRESENCE")) {
      for (const id of ids(diff.data.joined)) expect([firstId, secondId]).toContain(id);
    }
  });
});
