import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { and, asc, eq } from "drizzle-orm";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

async function eventRows(orgId: string) {
  return backend.db.select().from(schema.event).where(eq(schema.event.orgId, orgId)).orderBy(asc(schema.event.seq));
}

describe("event log", () => {
  test("every mutation appends exactly one event with the next seq; failures append none", async () => {
    const org = (
      await owner.call("POST", "/api/orgs", { name: "Ev", slug: `ev-${crypto.randomUUID().slice(0, 8)}`, prefix: "EV" })
    ).body;
    const base = `/api/orgs/${org.id}`;
    const member = await backend.signUp("Member");
    let expectedSeq = (await eventRows(org.id)).length;
    expect(expectedSeq).toBe(1); // CREATE_ORG

    let taskId = "";
    let commentId = "";
    let labelId = "";
    let teamId = "";
    let version = 1;
    const steps: [string, () => Promise<{ status: number; body: any }>, string | null][] = [
      [
        "create label",
        async () => {
          const r = await owner.call("POST", `${base}/labels`, { name: "bug" });
          labelId = r.body.id;
          return r;
        },
        "CREATE_LABEL",
      ],
      ["duplicate label (409)", () => owner.call("POST", `${base}/labels`, { name: "BUG" }), null],
      [
        "create task",
        async () => {
          const r = await owner.call("POST", `${base}/tasks`, { title: "T", labelIds: [labelId] });
          taskId = r.body.id;
          return r;
        },
        "CREATE_TASK",
      ],
      [
        "create task with unknown label (400)",
        () => owner.call("POST", `${base}/tasks`, { title: "T", labelIds: ["lbl_nope"] }),
        null,
      ],
      [
        "patch task",
        async () => {
          const r = await owner.call("PATCH", `${base}/tasks/${taskId}`, { title: "T2", version });
          version = r.body.version;
          return r;
        },
        "UPDATE_TASK",
      ],
      ["stale patch (409)", () => owner.call("PATCH", `${base}/tasks/${taskId}`, { title: "T3", version: 1 }), null],
      ["move task", () => owner.call("POST", `${base}/tasks/${taskId}/move`, { status: "done" }), "UPDATE_TASK"],
      ["assign", () => owner.call("PUT", `${base}/tasks/${taskId}/assignees`, { userIds: [owner.id] }), "UPDATE_TASK"],
      [
        "comment",
        async () => {
          const r = await owner.call("POST", `${base}/tasks/${taskId}/comments`, { body: "hi" });
          commentId = r.body.id;
          return r;
        },
        "CREATE_COMMENT",
      ],
      [
        "edit comment",
        () => owner.call("PATCH", `${base}/tasks/${taskId}/comments/${commentId}`, { body: "hey" }),
        "UPDATE_COMMENT",
      ],
      ["delete comment", () => owner.call("DELETE", `${base}/tasks/${taskId}/comments/${commentId}`), "DELETE_COMMENT"],
      ["update label", () => owner.call("PATCH", `${base}/labels/${labelId}`, { color: "#123456" }), "UPDATE_LABEL"],
      ["create category", () => owner.call("POST", `${base}/categories`, { name: "Backend" }), "CREATE_CATEGORY"],
      [
        "create team",
        async () => {
          const r = await owner.call("POST", `${base}/teams`, { name: "Devs", permissions: ["tasks.edit"] });
          teamId = r.body.id;
          return r;
        },
        "CREATE_TEAM",
      ],
      [
        "invite",
        async () => {
          const r = await owner.call("POST", `${base}/invites`, {});
          await member.call("POST", `/api/invites/${r.body.code}/accept`);
          return r;
        },
        "CREATE_INVITE,CREATE_MEMBER",
      ],
      [
        "team member",
        () => owner.call("PUT", `${base}/teams/${teamId}/members/${member.id}`),
        "UPDATE_TEAM,UPDATE_MEMBER",
      ],
      ["update org", () => owner.call("PATCH", base, { publicBoard: true }), "UPDATE_ORG"],
      // Removing a member revokes the invite they joined with.
      ["remove member", () => owner.call("DELETE", `${base}/members/${member.id}`), "UPDATE_INVITE,DELETE_MEMBER"],
      ["delete task", () => owner.call("DELETE", `${base}/tasks/${taskId}`), "DELETE_TASK"],
      ["delete label", () => owner.call("DELETE", `${base}/labels/${labelId}`), "DELETE_LABEL"],
      ["delete team", () => owner.call("DELETE", `${base}/teams/${teamId}`), "DELETE_TEAM"],
    ];

    for (const [name, run, types] of steps) {
      const result = await run();
      const rows = await eventRows(org.id);
      const expectedTypes = types ? types.split(",") : [];
      if (expectedTypes.length === 0) expect(result.status, name).toBeGreaterThanOrEqual(400);
      else expect(result.status, name).toBeLessThan(300);
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
    const org = (
      await owner.call("POST", "/api/orgs", { name: "Tx", slug: `tx-${crypto.randomUUID().slice(0, 8)}`, prefix: "TX" })
    ).body;
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
    const result = await owner.call("POST", `/api/orgs/${org.id}/labels`, { name: "orphan" });
    expect(result.status).toBe(500);
    expect(result.body.error).toMatchObject({ code: "INTERNAL", message: "Internal server error" });
    expect(JSON.stringify(result.body)).not.toContain("duplicate");
    const labels = await backend.db
      .select()
      .from(schema.label)
      .where(and(eq(schema.label.orgId, org.id), eq(schema.label.name, "orphan")));
    expect(labels).toEqual([]);
  });

  test("GET /events?after=N returns what came after N, filtered by visibility", async () => {
    const org = (
      await owner.call("POST", "/api/orgs", {
        name: "Feed",
        slug: `feed-${crypto.randomUUID().slice(0, 8)}`,
        prefix: "FD",
      })
    ).body;
    const base = `/api/orgs/${org.id}`;
    for (const title of ["one", "two", "three"]) await owner.call("POST", `${base}/tasks`, { title });
    await owner.call("POST", `${base}/teams`, { name: "Admins only event" });

    const all = (await owner.call("GET", `${base}/events?after=0`)).body;
    expect(all.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.lastSeq).toBe(5);
    const after = (await owner.call("GET", `${base}/events?after=2`)).body;
    expect(after.events.map((e: { type: string }) => e.type)).toEqual(["CREATE_TASK", "CREATE_TASK", "CREATE_TEAM"]);
    expect(after.events[0].payload.task.title).toBe("two");
    const limited = (await owner.call("GET", `${base}/events?after=0&limit=2`)).body;
    expect(limited.events).toHaveLength(2);

    // A plain member does not see admin events.
    const plain = await backend.signUp("Plain");
    const invite = (await owner.call("POST", `${base}/invites`, {})).body;
    await plain.call("POST", `/api/invites/${invite.code}/accept`);
    const visible = (await plain.call("GET", `${base}/events?after=0`)).body;
    expect(visible.events.map((e: { type: string }) => e.type)).not.toContain("CREATE_TEAM");
    expect(visible.events.map((e: { type: string }) => e.type)).not.toContain("CREATE_INVITE");
    expect((await owner.call("GET", `${base}/events?after=-1`)).status).toBe(400);
  });
});
