import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TEvent, TSavedView } from "@tandem/contracts";
import { addTestMember } from "@tandem/domain/testing";
import { as, type Call, errorOf, expectStatus, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

async function newOrg(): Promise<string> {
  const slug = `views-${crypto.randomUUID().slice(0, 8)}`;
  const created = await as(owner)("POST", "/api/orgs", { name: "Views", slug, prefix: "VW" });
  return (expectStatus(created, 201) as { id: string }).id;
}

const views = (orgId: string) => `/api/orgs/${orgId}/views`;

async function member(orgId: string, name: string, permissions: string[]): Promise<Call> {
  const user = await backend.signUp(name);
  await addTestMember(backend.db, { orgId, userId: user.id, permissions });
  return as(user);
}

async function loggedViewEvents(orgId: string): Promise<string[]> {
  const page = expectStatus(await as(owner)("GET", `/api/orgs/${orgId}/events?after=0`), 200) as { events: TEvent[] };
  return page.events
    .filter((e) => e.type.endsWith("_VIEW"))
    .map((e) => `${e.type} ${(e.payload as { view: TSavedView }).view.name}`);
}

describe("saved views", () => {
  test("personal views are their owner's alone; shared ones everyone's", async () => {
    const orgId = await newOrg();
    const alice = await member(orgId, "Alice", []);
    const bob = await member(orgId, "Bob", []);

    const mine = expectStatus(
      await alice("POST", views(orgId), {
        name: "My urgent",
        filters: { priority: ["urgent"], dueBefore: "2027-01-01" },
        groupBy: "assignee",
        sort: { field: "dueDate", direction: "asc" },
        layout: "list",
      }),
      201,
    ) as TSavedView;
    expect(mine).toMatchObject({ ownerId: expect.any(String), groupBy: "assignee", layout: "list", projectId: null });
    const shared = expectStatus(
      await as(owner)("POST", views(orgId), { name: "Team board", shared: true, projectId: "VW" }),
      201,
    ) as TSavedView;
    expect(shared.ownerId).toBeNull();
    expect(shared.projectId).toStartWith("prj_");

    const aliceSees = expectStatus(await alice("GET", views(orgId)), 200) as TSavedView[];
    expect(aliceSees.map((v) => v.name)).toEqual(["My urgent", "Team board"]);
    const bobSees = expectStatus(await bob("GET", views(orgId)), 200) as TSavedView[];
    expect(bobSees.map((v) => v.name)).toEqual(["Team board"]);

    // Another member's personal view does not exist for Bob, nor for the owner.
    expect(errorOf(await bob("PATCH", `${views(orgId)}/${mine.id}`, { name: "Mine now" })).error.code).toBe(
      "NOT_FOUND",
    );
    expect((await bob("DELETE", `${views(orgId)}/${mine.id}`)).status).toBe(404);
    expect((await as(owner)("DELETE", `${views(orgId)}/${mine.id}`)).status).toBe(404);

    const renamed = expectStatus(await alice("PATCH", `${views(orgId)}/${mine.id}`, { name: "Mine, renamed" }), 200);
    expect(renamed).toMatchObject({ id: mine.id, name: "Mine, renamed", groupBy: "assignee" });
    expectStatus(await alice("DELETE", `${views(orgId)}/${mine.id}`), 200);
    expect(expectStatus(await alice("GET", views(orgId)), 200)).toMatchObject([{ id: shared.id }]);

    // Only the shared view reached the log.
    expect(await loggedViewEvents(orgId)).toEqual(["CREATE_VIEW Team board"]);
  });

  test("shared views take tasks.edit to make, change, share or delete", async () => {
    const orgId = await newOrg();
    const reader = await member(orgId, "Reader", []);
    const editor = await member(orgId, "Editor", ["tasks.edit"]);

    expect(errorOf(await reader("POST", views(orgId), { name: "Shared", shared: true })).error.code).toBe("FORBIDDEN");
    const shared = expectStatus(
      await editor("POST", views(orgId), { name: "Shared", shared: true }),
      201,
    ) as TSavedView;
    expect((await reader("PATCH", `${views(orgId)}/${shared.id}`, { name: "Hijacked" })).status).toBe(403);
    expect((await reader("DELETE", `${views(orgId)}/${shared.id}`)).status).toBe(403);

    const personal = expectStatus(await reader("POST", views(orgId), { name: "Personal" }), 201) as TSavedView;
    expect((await reader("PATCH", `${views(orgId)}/${personal.id}`, { shared: true })).status).toBe(403);

    expectStatus(await editor("PATCH", `${views(orgId)}/${shared.id}`, { name: "Shared, renamed" }), 200);
    expectStatus(await editor("DELETE", `${views(orgId)}/${shared.id}`), 200);
    expect(await loggedViewEvents(orgId)).toEqual([
      "CREATE_VIEW Shared",
      "UPDATE_VIEW Shared, renamed",
      "DELETE_VIEW Shared, renamed",
    ]);
  });

  test("bad input is a 400, another org's view and project 404/400", async () => {
    const orgId = await newOrg();
    const otherOrg = await newOrg();
    const call = as(owner);
    expect((await call("POST", views(orgId), { name: "x", groupBy: "colour" })).status).toBe(400);
    expect((await call("POST", views(orgId), { name: "x", filters: { dueBefore: "tomorrow" } })).status).toBe(400);
    expect((await call("POST", views(orgId), { name: "" })).status).toBe(400);
    const theirs = expectStatus(
      await call("POST", views(otherOrg), { name: "Theirs", shared: true }),
      201,
    ) as TSavedView;
    expect((await call("PATCH", `${views(orgId)}/${theirs.id}`, { name: "Mine" })).status).toBe(404);
    expect((await call("DELETE", `${views(orgId)}/${theirs.id}`)).status).toBe(404);
    expect((await call("POST", views(orgId), { name: "x", projectId: "NOPE" })).status).toBe(400);
  });
});
