import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { and, asc, eq } from "drizzle-orm";
import { ok, refused, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

const api = () => owner.api.api.orgs[":orgId"];

function newOrg(name: string, prefix: string) {
  const slug = `${prefix.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
  return ok(owner.api.api.orgs.$post({ json: { name, slug, prefix } }), 201);
}

async function eventRows(orgId: string) {
  return backend.db.select().from(schema.event).where(eq(schema.event.orgId, orgId)).orderBy(asc(schema.event.seq));
}

describe("event log", () => {
  test("every mutation appends exactly one event with the next seq; failures append none", async () => {
    const org = await newOrg("Ev", "EV");
    const orgId = org.id;
    const member = await backend.signUp("Member");
    let expectedSeq = (await eventRows(org.id)).length;
    expect(expectedSeq).toBe(1); // CREATE_ORG

    let taskId = "";
    let commentId = "";
    let labelId = "";
    let teamId = "";
    let version = 1;
    const task = () => ({ orgId, taskId });
    const comment = () => ({ orgId, taskId, commentId });
    // Each step asserts its own answer (2xx, or the exact refusal); the loop checks the log.
    const steps: [string, () => Promise<unknown>, string | null][] = [
      [
        "create label",
        async () => {
          labelId = (await ok(api().labels.$post({ param: { orgId }, json: { name: "bug" } }), 201)).id;
        },
        "CREATE_LABEL",
      ],
      [
        "duplicate label (409)",
        () => refused(api().labels.$post({ param: { orgId }, json: { name: "BUG" } }), 409),
        null,
      ],
      [
        "create task",
        async () => {
          taskId = (await ok(api().tasks.$post({ param: { orgId }, json: { title: "T", labelIds: [labelId] } }), 201))
            .id;
        },
        "CREATE_TASK",
      ],
      [
        "create task with unknown label (400)",
        () => refused(api().tasks.$post({ param: { orgId }, json: { title: "T", labelIds: ["lbl_nope"] } }), 400),
        null,
      ],
      [
        "patch task",
        async () => {
          version = (await ok(api().tasks[":taskId"].$patch({ param: task(), json: { title: "T2", version } })))
            .version;
        },
        "UPDATE_TASK",
      ],
      [
        "stale patch (409)",
        () => refused(api().tasks[":taskId"].$patch({ param: task(), json: { title: "T3", version: 1 } }), 409),
        null,
      ],
      [
        "move task",
        () => ok(api().tasks[":taskId"].move.$post({ param: task(), json: { status: "done" } })),
        "UPDATE_TASK",
      ],
      [
        "assign",
        () => ok(api().tasks[":taskId"].assignees.$put({ param: task(), json: { userIds: [owner.id] } })),
        "UPDATE_TASK",
      ],
      [
        "comment",
        async () => {
          commentId = (await ok(api().tasks[":taskId"].comments.$post({ param: task(), json: { body: "hi" } }))).id;
        },
        "CREATE_COMMENT",
      ],
      [
        "edit comment",
        () => ok(api().tasks[":taskId"].comments[":commentId"].$patch({ param: comment(), json: { body: "hey" } })),
        "UPDATE_COMMENT",
      ],
      [
        "delete comment",
        () => ok(api().tasks[":taskId"].comments[":commentId"].$delete({ param: comment() })),
        "DELETE_COMMENT",
      ],
      [
        "update label",
        () => ok(api().labels[":id"].$patch({ param: { orgId, id: labelId }, json: { color: "#123456" } })),
        "UPDATE_LABEL",
      ],
      [
        "create category",
        () => ok(api().categories.$post({ param: { orgId }, json: { name: "Backend" } })),
        "CREATE_CATEGORY",
      ],
      [
        "create team",
        async () => {
          teamId = (
            await ok(api().teams.$post({ param: { orgId }, json: { name: "Devs", permissions: ["tasks.edit"] } }))
          ).id;
        },
        "CREATE_TEAM",
      ],
      [
        "invite",
        async () => {
          const invite = await ok(api().invites.$post({ param: { orgId }, json: {} }));
          await ok(member.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
        },
        "CREATE_INVITE,CREATE_MEMBER",
      ],
      [
        "team member",
        () => ok(api().teams[":teamId"].members[":userId"].$put({ param: { orgId, teamId, userId: member.id } })),
        "UPDATE_TEAM,UPDATE_MEMBER",
      ],
      // Turning the org's public board on publishes its first project too (the old single board).
      [
        "update org",
        () => ok(api().$patch({ param: { orgId }, json: { publicBoard: true } })),
        "UPDATE_PROJECT,UPDATE_ORG",
      ],
      // Removing a member revokes the invite they joined with.
      [
        "remove member",
        () => ok(api().members[":userId"].$delete({ param: { orgId, userId: member.id } })),
        "UPDATE_INVITE,DELETE_MEMBER",
      ],
      ["delete task", () => ok(api().tasks[":taskId"].$delete({ param: task() })), "DELETE_TASK"],
      ["delete label", () => ok(api().labels[":id"].$delete({ param: { orgId, id: labelId } })), "DELETE_LABEL"],
      ["delete team", () => ok(api().teams[":teamId"].$delete({ param: { orgId, teamId } })), "DELETE_TEAM"],
    ];

    for (const [name, run, types] of steps) {
      await run();
      const rows = await eventRows(org.id);
      const expectedTypes = types ? types.split(",") : [];
      const added = rows.slice(expectedSeq);
      expect(
        added.map((row): string => row.type),
        name,
      ).toEqual(expectedTypes);
      expectedSeq += expectedTypes.length;
      // Gapless: seq is exactly 1..n.
      expect(
        rows.map((row) => row.seq),
        name,
      ).toEqual(Array.from({ length: expectedSeq }, (_, i) => i + 1));
    }
  });

  test("the event is written in the mutation's transaction: if it cannot be appended, nothing changes", async () => {
    const org = await newOrg("Tx", "TX");
    // Break the append: occupy the seq the next event will take, so its insert fails mid-transaction.
    const [counter] = await backend.db.select().from(schema.orgCounter).where(eq(schema.orgCounter.orgId, org.id));
    await backend.db.insert(schema.event).values({
      orgId: org.id,
      seq: (counter?.lastEventSeq ?? 0) + 1,
      type: "DELETE_MEMBER",
      visibility: "admin",
      actorId: null,
      payload: { userId: "nobody" },
    });
    const result = await refused(api().labels.$post({ param: { orgId: org.id }, json: { name: "orphan" } }), 500);
    expect(result.error).toMatchObject({ code: "INTERNAL", message: "Internal server error" });
    expect(JSON.stringify(result)).not.toContain("duplicate");
    const labels = await backend.db
      .select()
      .from(schema.label)
      .where(and(eq(schema.label.orgId, org.id), eq(schema.label.name, "orphan")));
    expect(labels).toEqual([]);
  });

  test("GET /events?after=N returns what came after N, filtered by visibility", async () => {
    const org = await newOrg("Feed", "FD");
    const orgId = org.id;
    for (const title of ["one", "two", "three"]) await ok(api().tasks.$post({ param: { orgId }, json: { title } }));
    await ok(api().teams.$post({ param: { orgId }, json: { name: "Admins only event" } }));
    const events = (user: TestUser, query: { after: string; limit?: string }) =>
      user.api.api.orgs[":orgId"].events.$get({ param: { orgId }, query });

    const all = await ok(events(owner, { after: "0" }));
    expect(all.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.lastSeq).toBe(5);
    const after = await ok(events(owner, { after: "2" }));
    expect(after.events.map((e) => e.type)).toEqual(["CREATE_TASK", "CREATE_TASK", "CREATE_TEAM"]);
    expect(after.events[0]?.payload).toMatchObject({ task: { title: "two" } });
    const limited = await ok(events(owner, { after: "0", limit: "2" }));
    expect(limited.events).toHaveLength(2);

    // A plain member does not see admin events.
    const plain = await backend.signUp("Plain");
    const invite = await ok(api().invites.$post({ param: { orgId }, json: {} }));
    await ok(plain.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
    const visible = await ok(events(plain, { after: "0" }));
    expect(visible.events.map((e) => e.type)).not.toContain("CREATE_TEAM");
    expect(visible.events.map((e) => e.type)).not.toContain("CREATE_INVITE");
    await refused(events(owner, { after: "-1" }), 400);
  });
});
