import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TPermission } from "@tandem/contracts";
import { countAdministrators } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { ok, refused, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

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
const orgOf = (user: TestUser) => user.api.api.orgs[":orgId"];
const accept = (user: TestUser, code: string) => user.api.api.invites[":code"].accept.$post({ param: { code } });
const invite = (user: TestUser, orgId: string, json: { teamId?: string; teamIds?: string[] }) =>
  orgOf(user).invites.$post({ param: { orgId }, json });

async function newOrg(): Promise<Org> {
  const owner = await backend.signUp("Owner");
  const slug = `ac-${crypto.randomUUID().slice(0, 10)}`;
  const org = await ok(owner.api.api.orgs.$post({ json: { name: "Access", slug, prefix: "AC" } }), 201);
  const teams = await ok(orgOf(owner).teams.$get({ param: { orgId: org.id } }));
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
  const created = await ok(
    orgOf(org.owner).teams.$post({ param: { orgId: org.id }, json: { name, permissions } }),
    201,
  );
  return created.id;
}

async function permissionsOf(user: TestUser, orgId: string): Promise<string[]> {
  const me = await ok(user.api.api.me.$get());
  return me.orgs.find((o) => o.id === orgId)?.permissions ?? [];
}

describe("invites grant only what the inviter holds (10.4, 9.7)", () => {
  test("a member manager cannot invite into the Administrators team, nor into a team with more than they hold", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers", "tasks.create"]);
    const second = await backend.signUp("Second");

    const intoAdmins = await refused(invite(manager, org.id, { teamId: org.adminTeamId }), 403);
    expect(intoAdmins.error).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
    const deleters = await team(org, "Deleters", ["tasks.delete"]);
    const tooMuch = await refused(invite(manager, org.id, { teamIds: [deleters] }), 403);
    expect(tooMuch.error.message).toContain("tasks.delete");

    // Neither code path left an invite behind for the manager (or a second account) to accept.
    const invites = await ok(orgOf(org.owner).invites.$get({ param: { orgId: org.id } }));
    expect(invites).toEqual([]);
    expect(await permissionsOf(second, org.id)).toEqual([]);
  });

  test("an invite with several teams the inviter may grant: the invitee joins every one", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers", "tasks.create", "tasks.edit"]);
    const writers = await team(org, "Writers", ["tasks.create"]);
    const editors = await team(org, "Editors", ["tasks.edit"]);
    const created = await ok(invite(manager, org.id, { teamIds: [writers, editors] }), 201);
    expect(created.teamIds.sort()).toEqual([writers, editors].sort());

    const joiner = await backend.signUp("Joiner");
    await ok(accept(joiner, created.code), 200);
    expect((await permissionsOf(joiner, org.id)).sort()).toEqual(["tasks.create", "tasks.edit"]);
    const members = await ok(orgOf(org.owner).members.$get({ param: { orgId: org.id } }));
    expect(members.find((m) => m.userId === joiner.id)?.teamIds.sort()).toEqual([writers, editors].sort());

    const unknown = await refused(invite(manager, org.id, { teamIds: ["team_nope"] }), 400);
    expect(unknown.error.field).toBe("teamIds");
  });

  test("an invite whose team became an administrator team since grants nothing on accept", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers", "tasks.create"]);
    const writers = await team(org, "Writers", ["tasks.create"]);
    const created = await ok(invite(manager, org.id, { teamIds: [writers] }));
    await ok(
      orgOf(org.owner).teams[":teamId"].$patch({
        param: { orgId: org.id, teamId: writers },
        json: { permissions: ["tasks.create", "admin.administrator"] },
      }),
      200,
    );

    const joiner = await backend.signUp("Joiner");
    await refused(accept(joiner, created.code), 403);
    expect(await permissionsOf(joiner, org.id)).toEqual([]);
  });
});

describe("team changes grant only what the actor holds (10.5)", () => {
  test("a team manager cannot make themselves administrator by any route", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageTeams"]);
    const orgId = org.id;
    const teams = (user: TestUser) => orgOf(user).teams;
    const put = (user: TestUser, teamId: string, userId: string) =>
      teams(user)[":teamId"].members[":userId"].$put({ param: { orgId, teamId, userId } });
    const patch = (user: TestUser, teamId: string, json: { name?: string; permissions?: TPermission[] }) =>
      teams(user)[":teamId"].$patch({ param: { orgId, teamId }, json });
    const members = await ok(orgOf(org.owner).members.$get({ param: { orgId } }));
    const ownTeam = members.find((m) => m.userId === manager.id)?.teamIds[0] ?? "";

    await refused(put(manager, org.adminTeamId, manager.id), 403);
    await refused(patch(manager, ownTeam, { permissions: ["admin.manageTeams", "admin.administrator"] }), 403);
    await refused(
      teams(manager).$post({ param: { orgId }, json: { name: "Root", permissions: ["admin.administrator"] } }),
      403,
    );
    // Nor a permission short of administrator that they do not hold.
    await refused(
      teams(manager).$post({ param: { orgId }, json: { name: "Del", permissions: ["tasks.delete"] } }),
      403,
    );
    await refused(patch(manager, ownTeam, { permissions: ["admin.manageTeams", "tasks.delete"] }), 403);
    const deleters = await team(org, "Deleters", ["tasks.delete"]);
    await refused(put(manager, deleters, manager.id), 403);
    // Nor demote the administrators or rewrite their team.
    await refused(
      teams(manager)[":teamId"].members[":userId"].$delete({
        param: { orgId, teamId: org.adminTeamId, userId: org.owner.id },
      }),
      403,
    );
    await refused(patch(manager, org.adminTeamId, { name: "Renamed" }), 403);
    await refused(teams(manager)[":teamId"].$delete({ param: { orgId, teamId: org.adminTeamId } }), 403);

    expect(await permissionsOf(manager, org.id)).toEqual(["admin.manageTeams"]);

    // What they do hold, they may hand out, and taking permissions away is always allowed.
    const helpers = await ok(
      teams(manager).$post({ param: { orgId }, json: { name: "Helpers", permissions: ["admin.manageTeams"] } }),
      201,
    );
    await ok(put(manager, helpers.id, org.owner.id), 200);
    await refused(put(manager, deleters, org.owner.id), 403);
    await ok(patch(manager, deleters, { permissions: [] }), 200);
    // An administrator may do all of it.
    await ok(put(org.owner, org.adminTeamId, manager.id), 200);
    expect(await permissionsOf(manager, org.id)).toContain("admin.administrator");
  });

  test("a member manager cannot remove an administrator from the org", async () => {
    const org = await newOrg();
    const manager = await memberWith(org, ["admin.manageMembers"]);
    await refused(orgOf(manager).members[":userId"].$delete({ param: { orgId: org.id, userId: org.owner.id } }), 403);
    expect(await permissionsOf(org.owner, org.id)).toEqual(["admin.administrator"]);
  });
});

describe("the last administrator survives concurrent removals (10.6)", () => {
  test("8 orgs × 2 administrators leaving the Administrators team at the same moment", async () => {
    const orgs = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const org = await newOrg();
        const second = await backend.signUp("Second admin");
        const created = await ok(invite(org.owner, org.id, { teamId: org.adminTeamId }));
        await ok(accept(second, created.code), 200);
        expect(await countAdministrators(backend.db, { orgId: org.id })).toBe(2);
        return { org, admins: [org.owner, second] };
      }),
    );
    const results = await Promise.all(
      orgs.flatMap(({ org, admins }) =>
        admins.map((admin) =>
          orgOf(admin).teams[":teamId"].members[":userId"].$delete({
            param: { orgId: org.id, teamId: org.adminTeamId, userId: admin.id },
          }),
        ),
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
    const first = await ok(invite(org.owner, org.id, { teamIds: [writers] }));
    const joiner = await backend.signUp("Joiner");
    await ok(accept(joiner, first.code), 200);
    // Accepting again as the same member changes nothing.
    await ok(accept(joiner, first.code), 200);
    const created = await ok(invite(joiner, org.id, {}));

    await ok(orgOf(org.owner).members[":userId"].$delete({ param: { orgId: org.id, userId: joiner.id } }), 200);
    await refused(accept(joiner, first.code), 404);
    expect(await permissionsOf(joiner, org.id)).toEqual([]);
    expect((await ok(joiner.api.api.me.$get())).orgs).toEqual([]);

    const friend = await backend.signUp("Friend");
    await refused(accept(friend, created.code), 404);
    const invites = await ok(orgOf(org.owner).invites.$get({ param: { orgId: org.id } }));
    const statuses = invites.map((i) => [i.id, i.status]);
    expect(Object.fromEntries(statuses)).toEqual({ [first.id]: "revoked", [created.id]: "revoked" });
  });

  test("an accepted invite never admits a second account", async () => {
    const org = await newOrg();
    const created = await ok(invite(org.owner, org.id, {}));
    const first = await backend.signUp("First");
    const second = await backend.signUp("Second");
    await ok(accept(first, created.code), 200);
    await refused(accept(second, created.code), 409);
  });
});
