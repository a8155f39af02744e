import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZErrorBody } from "@tandem/contracts";
import { createApiClient } from "../src/client.ts";
import { ok, refused, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

describe("sign-up, sign-in and /api/me over HTTP", () => {
  test("a new user signs up, signs in and reads their profile", async () => {
    const email = `http-${crypto.randomUUID()}@example.test`;
    const headers = { origin: WEB_ORIGIN };
    const signUp = await backend.raw(
      "POST",
      "/api/auth/sign-up/email",
      { email, password: "s3cure-passw0rd", name: "Ada" },
      { headers },
    );
    expect(signUp.status).toBe(200);
    // Sign-up does not sign in: that would tell a new address from a registered one.
    expect(signUp.headers.get("set-cookie")).toBeNull();

    const wrong = await backend.raw(
      "POST",
      "/api/auth/sign-in/email",
      { email, password: "not-the-password" },
      { headers },
    );
    expect(wrong.status).toBe(401);
    expect(ZErrorBody.parse(wrong.body).error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.any(String) });

    const signIn = await backend.raw(
      "POST",
      "/api/auth/sign-in/email",
      { email, password: "s3cure-passw0rd" },
      { headers },
    );
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("set-cookie")).toContain("HttpOnly");
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toContain("session_token=");

    const me = await ok(createApiClient(backend.url, { headers: { cookie } }).api.me.$get(), 200);
    expect(me.user.email).toBe(email);
    expect(me.orgs).toEqual([]);

    const anonymous = await refused(backend.api.api.me.$get(), 401);
    expect(anonymous.error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.any(String) });
  });
});

const orgOf = (user: TestUser) => user.api.api.orgs[":orgId"];
const accept = (user: TestUser, code: string) => user.api.api.invites[":code"].accept.$post({ param: { code } });
function newOrg(owner: TestUser, name: string, prefix: string) {
  return ok(owner.api.api.orgs.$post({ json: { name, slug: `o-${crypto.randomUUID().slice(0, 8)}`, prefix } }), 201);
}

describe("orgs, teams, invites and members", () => {
  test("the creator of an org holds administrator", async () => {
    const owner = await backend.signUp("Owner");
    const slug = `acme-${crypto.randomUUID().slice(0, 8)}`;
    const created = await ok(owner.api.api.orgs.$post({ json: { name: "Acme", slug, prefix: "ACME" } }), 201);
    expect(created).toMatchObject({ name: "Acme", slug, prefix: "ACME", publicBoard: false });

    const me = await ok(owner.api.api.me.$get());
    expect(me.orgs).toHaveLength(1);
    expect(me.orgs[0]).toMatchObject({ id: created.id, permissions: ["admin.administrator"] });

    await refused(owner.api.api.orgs.$post({ json: { name: "Other", slug, prefix: "OTH" } }), 409);
  });

  test("team with permissions, invite and accept, then remove the member", async () => {
    const owner = await backend.signUp("Owner");
    const joiner = await backend.signUp("Joiner");
    const org = await newOrg(owner, "Team Org", "TO");
    const orgId = org.id;

    const team = await ok(
      orgOf(owner).teams.$post({
        param: { orgId },
        json: { name: "Writers", permissions: ["tasks.create", "tasks.edit"] },
      }),
      201,
    );
    expect(team.permissions).toEqual(["tasks.create", "tasks.edit"]);

    // Not a member yet: the org is invisible.
    await refused(orgOf(joiner).$get({ param: { orgId } }), 404);

    const invite = await ok(orgOf(owner).invites.$post({ param: { orgId }, json: { teamId: team.id } }), 201);
    expect(invite.code).toEqual(expect.any(String));

    const accepted = await ok(accept(joiner, invite.code), 200);
    expect(accepted.id).toBe(org.id);

    const me = await ok(joiner.api.api.me.$get());
    expect(me.orgs[0]?.permissions.sort()).toEqual(["tasks.create", "tasks.edit"]);
    const teams = await ok(orgOf(owner).teams.$get({ param: { orgId } }));
    expect(teams.find((t) => t.id === team.id)?.memberIds).toEqual([joiner.id]);
    const task = await ok(orgOf(joiner).tasks.$post({ param: { orgId }, json: { title: "From the new member" } }), 201);
    const param = { orgId, taskId: task.id };
    await refused(orgOf(joiner).tasks[":taskId"].$delete({ param }), 403);

    const members = await ok(orgOf(owner).members.$get({ param: { orgId } }));
    expect(members.map((m) => m.userId).sort()).toEqual([owner.id, joiner.id].sort());

    await ok(orgOf(owner).tasks[":taskId"].assignees.$put({ param, json: { userIds: [joiner.id, owner.id] } }));
    await ok(orgOf(owner).members[":userId"].$delete({ param: { orgId, userId: joiner.id } }), 200);
    // Takes effect at once: the next request is refused as an outsider's.
    await refused(orgOf(joiner).tasks.$get({ param: { orgId }, query: {} }), 404);
    expect((await ok(joiner.api.api.me.$get())).orgs).toEqual([]);
    // Their assignments go with them.
    expect((await ok(orgOf(owner).tasks[":taskId"].$get({ param }))).assigneeIds).toEqual([owner.id]);
  });

  test("an invite for an e-mail only works for that (verified) account, and a revoked one not at all", async () => {
    const owner = await backend.signUp();
    const intended = await backend.signUp("Intended", { verified: true });
    const stranger = await backend.signUp();
    const org = await newOrg(owner, "Inv", "INV");
    const orgId = org.id;
    const invite = await ok(orgOf(owner).invites.$post({ param: { orgId }, json: { email: intended.email } }));
    await refused(accept(stranger, invite.code), 403);
    await ok(accept(intended, invite.code), 200);

    const revoked = await ok(orgOf(owner).invites.$post({ param: { orgId }, json: {} }));
    await ok(orgOf(owner).invites[":inviteId"].$delete({ param: { orgId, inviteId: revoked.id } }), 200);
    await refused(accept(stranger, revoked.code), 404);
    await refused(accept(stranger, "no-such-code"), 404);
  });

  test("the last administrator cannot be removed", async () => {
    const owner = await backend.signUp();
    const org = await newOrg(owner, "Solo", "SO");
    await refused(orgOf(owner).members[":userId"].$delete({ param: { orgId: org.id, userId: owner.id } }), 409);
    await ok(orgOf(owner).$get({ param: { orgId: org.id } }), 200);
  });
});
