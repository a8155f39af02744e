import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TPermission } from "@tandem/contracts";
import { countAdministrators } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

/**
 * Issue 10 items 4–7 and issue 9 item 7 (API): nobody grants a permission they do not hold,
 * only administrators touch administrators, the last administrator survives concurrent
 * removals, and a removed member's invites are dead.
 */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

type Org = { id: string; adminTeamId: string; owner: TestUser };

async function newOrg(): Promise<Org> {
  const owner = await backend.signUp("Owner");
  const slug = `ac-${crypto.randomUUID().slice(0, 10)}`;
  const org = (await owner.call("POST", "/api/orgs", { name: "Access", slug, prefix: "AC" })).body;
  const teams = (await owner.call("GET", `/api/orgs/${org.id}/teams`)).body as { id: string; permissions: string[] }[];
  const adminTeam = teams.find((team) => team.permissions.includes("admin.administrator"));
  if (!adminTeam) throw new Error("no administrators team");
  return { id: org.id, adminTeamId: adminTeam.id, owner };
}

async function memberWith(org: Org, permissions: TPermission[], name = "Member"): Promise<TestUser> {
  const user = await backend.signUp(name);
  await addTestMember(backend.db, { orgId: org.id, userId: user.id, permissions });
  return user;
}

async function team(org: Org, name: string, permissions: TPermission[]): Promise<string> {
  const created = await org.owner.call("POST", `/api/orgs/${org.id}/teams`, { name, permissions });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function permissionsOf(user: TestUser, orgId: string): Promise<string[]> {
  const me = await user.call("GET", "/api/me");
  return (me.body.orgs as { id: string; permissions: string[] }[]).find((o) => o.id === orgId)?.permissions ?? [];
}

describe("invites grant only what the inviter holds (10.4, 9.7)", () => {
  test("a member manager cannot invite into the Administrators team, nor into a team with more than they hold", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers", "tasks.create"]);
    const second = await backend.signUp("Second");

    const intoAdmins = await manager.call("POST", `/api/orgs/${org.id}/invites`, { teamId: org.adminTeamId });
    expect(intoAdmins.status).toBe(403);
    expect(intoAdmins.body.error).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
    const deleters = await team(org, "Deleters", ["tasks.delete"]);
    const tooMuch = await manager.call("POST", `/api/orgs/${org.id}/invites`, { teamIds: [deleters] });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body.error.message).toContain("tasks.delete");

    // Neither code path left an invite behind for the manager (or a second account) to accept.
    const invites = (await org.owner.call("GET", `/api/orgs/${org.id}/invites`)).body;
    expect(invites).toEqual([]);
    expect(await permissionsOf(second, org.id)).toEqual([]);
  });

  test("an invite with several teams the inviter may grant: the invitee joins every one", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers", "tasks.create", "tasks.edit"]);
    const writers = await team(org, "Writers", ["tasks.create"]);
    const editors = await team(org, "Editors", ["tasks.edit"]);
    const invite = await manager.call("POST", `/api/orgs/${org.id}/invites`, { teamIds: [writers, editors] });
    expect(invite.status).toBe(201);
    expect(invite.body.teamIds.sort()).toEqual([writers, editors].sort());

    const joiner = await backend.signUp("Joiner");
    expect((await joiner.call("POST", `/api/invites/${invite.body.code}/accept`)).status).toBe(200);
    expect((await permissionsOf(joiner, org.id)).sort()).toEqual(["tasks.create", "tasks.edit"]);
    const members = (await org.owner.call("GET", `/api/orgs/${org.id}/members`)).body as {
      userId: string;
      teamIds: string[];
    }[];
    expect(members.find((m) => m.userId === joiner.id)?.teamIds.sort()).toEqual([writers, editors].sort());

    const unknown = await manager.call("POST", `/api/orgs/${org.id}/invites`, { teamIds: ["team_nope"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe("teamIds");
  });

  test("an invite whose team became an administrator team since grants nothing on accept", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers", "tasks.create"]);
    const writers = await team(org, "Writers", ["tasks.create"]);
    const invite = (await manager.call("POST", `/api/orgs/${org.id}/invites`, { teamIds: [writers] })).body;
    const promoted = await org.owner.call("PATCH", `/api/orgs/${org.id}/teams/${writers}`, {
      permissions: ["tasks.create", "admin.administrator"],
    });
    expect(promoted.status).toBe(200);

    const joiner = await backend.signUp("Joiner");
    expect((await joiner.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(403);
    expect(await permissionsOf(joiner, org.id)).toEqual([]);
  });
});

describe("team changes grant only what the actor holds (10.5)", () => {
  test("a team manager cannot make themselves administrator by any route", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageTeams"]);
    const teams = `/api/orgs/${org.id}/teams`;
    const ownTeam = (await org.owner.call("GET", `/api/orgs/${org.id}/members`)).body.find(
      (m: { userId: string }) => m.userId === manager.id,
    ).teamIds[0];

    expect((await manager.call("PUT", `${teams}/${org.adminTeamId}/members/${manager.id}`)).status).toBe(403);
    expect(
      (
        await manager.call("PATCH", `${teams}/${ownTeam}`, {
          permissions: ["admin.manageTeams", "admin.administrator"],
        })
      ).status,
    ).toBe(403);
    expect((await manager.call("POST", teams, { name: "Root", permissions: ["admin.administrator"] })).status).toBe(
      403,
    );
    // Nor a permission short of administrator that they do not hold.
    expect((await manager.call("POST", teams, { name: "Del", permissions: ["tasks.delete"] })).status).toBe(403);
    expect(
      (await manager.call("PATCH", `${teams}/${ownTeam}`, { permissions: ["admin.manageTeams", "tasks.delete"] }))
        .status,
    ).toBe(403);
    const deleters = await team(org, "Deleters", ["tasks.delete"]);
    expect((await manager.call("PUT", `${teams}/${deleters}/members/${manager.id}`)).status).toBe(403);
    // Nor demote the administrators or rewrite their team.
    expect((await manager.call("DELETE", `${teams}/${org.adminTeamId}/members/${org.owner.id}`)).status).toBe(403);
    expect((await manager.call("PATCH", `${teams}/${org.adminTeamId}`, { name: "Renamed" })).status).toBe(403);
    expect((await manager.call("DELETE", `${teams}/${org.adminTeamId}`)).status).toBe(403);

    expect(await permissionsOf(manager, org.id)).toEqual(["admin.manageTeams"]);

    // What they do hold, they may hand out, and taking permissions away is always allowed.
    const helpers = await manager.call("POST", teams, { name: "Helpers", permissions: ["admin.manageTeams"] });
    expect(helpers.status).toBe(201);
    expect((await manager.call("PUT", `${teams}/${helpers.body.id}/members/${org.owner.id}`)).status).toBe(200);
    expect((await manager.call("PUT", `${teams}/${deleters}/members/${org.owner.id}`)).status).toBe(403);
    expect((await manager.call("PATCH", `${teams}/${deleters}`, { permissions: [] })).status).toBe(200);
    // An administrator may do all of it.
    expect((await org.owner.call("PUT", `${teams}/${org.adminTeamId}/members/${manager.id}`)).status).toBe(200);
    expect(await permissionsOf(manager, org.id)).toContain("admin.administrator");
  });

  test("a member manager cannot remove an administrator from the org", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers"]);
    const removed = await manager.call("DELETE", `/api/orgs/${org.id}/members/${org.owner.id}`);
    expect(removed.status).toBe(403);
    expect(await permissionsOf(org.owner, org.id)).toEqual(["admin.administrator"]);
  });
});

describe("the last administrator survives concurrent removals (10.6)", () => {
  test("8 orgs × 2 administrators leaving the Administrators team at the same moment", async () => {
    const orgs = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const org = await newOrg();
        const second = await backend.signUp("Second admin");
        const invite = (await org.owner.call("POST", `/api/orgs/${org.id}/invites`, { teamId: org.adminTeamId })).body;
        expect((await second.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(200);
        expect(await countAdministrators(backend.db, { orgId: org.id })).toBe(2);
        return { org, admins: [org.owner, second] };
      }),
    );
    const results = await Promise.all(
      orgs.flatMap(({ org, admins }) =>
        admins.map((admin) => admin.call("DELETE", `/api/orgs/${org.id}/teams/${org.adminTeamId}/members/${admin.id}`)),
      ),
    );
    for (const { org } of orgs) expect(await countAdministrators(backend.db, { orgId: org.id })).toBe(1);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(8).fill(200), ...Array(8).fill(409)]);
  });
});

describe("a removed member's invites are dead (10.7)", () => {
  test("rejoining with the old code fails, and the invites they created are revoked", async () => {
    const org = await newOrg();
    const writers = await team(org, "Writers", ["tasks.create", "admin.manageMembers"]);
    const invite = (await org.owner.call("POST", `/api/orgs/${org.id}/invites`, { teamIds: [writers] })).body;
    const joiner = await backend.signUp("Joiner");
    expect((await joiner.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(200);
    // Accepting again as the same member changes nothing.
    expect((await joiner.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(200);
    const created = (await joiner.call("POST", `/api/orgs/${org.id}/invites`, {})).body;

    expect((await org.owner.call("DELETE", `/api/orgs/${org.id}/members/${joiner.id}`)).status).toBe(200);
    const rejoin = await joiner.call("POST", `/api/invites/${invite.code}/accept`);
    expect(rejoin.status).toBe(404);
    expect(await permissionsOf(joiner, org.id)).toEqual([]);
    expect((await joiner.call("GET", "/api/me")).body.orgs).toEqual([]);

    const friend = await backend.signUp("Friend");
    expect((await friend.call("POST", `/api/invites/${created.code}/accept`)).status).toBe(404);
    const statuses = (await org.owner.call("GET", `/api/orgs/${org.id}/invites`)).body.map(
      (i: { id: string; status: string }) => [i.id, i.status],
    );
    expect(Object.fromEntries(statuses)).toEqual({ [invite.id]: "revoked", [created.id]: "revoked" });
  });

  test("an accepted invite never admits a second account", async () => {
    const org = await newOrg();
    const invite = (await org.owner.call("POST", `/api/orgs/${org.id}/invites`, {})).body;
    const first = await backend.signUp("First");
    const second = await backend.signUp("Second");
    expect((await first.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(200);
    expect((await second.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(409);
  });
});
