import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestBackend, type TestBackend, WEB_ORIGIN } from "./harness.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

describe("sign-up, sign-in and /api/me over HTTP", () => {
  test("a new user signs up, signs in and reads their profile", async () => {
    const email = `http-${crypto.randomUUID()}@example.test`;
    const headers = { origin: WEB_ORIGIN };
    const signUp = await backend.call(
      "POST",
      "/api/auth/sign-up/email",
      { email, password: "s3cure-passw0rd", name: "Ada" },
      { headers },
    );
    expect(signUp.status).toBe(200);
    // Sign-up does not sign in: that would tell a new address from a registered one.
    expect(signUp.headers.get("set-cookie")).toBeNull();

    const wrong = await backend.call(
      "POST",
      "/api/auth/sign-in/email",
      { email, password: "not-the-password" },
      { headers },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.any(String) });

    const signIn = await backend.call(
      "POST",
      "/api/auth/sign-in/email",
      { email, password: "s3cure-passw0rd" },
      { headers },
    );
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("set-cookie")).toContain("HttpOnly");
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toContain("session_token=");

    const me = await backend.call("GET", "/api/me", undefined, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    expect(me.body.orgs).toEqual([]);

    const anonymous = await backend.call("GET", "/api/me");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.any(String) });
  });
});

describe("orgs, teams, invites and members", () => {
  test("the creator of an org holds administrator", async () => {
    const owner = await backend.signUp("Owner");
    const slug = `acme-${crypto.randomUUID().slice(0, 8)}`;
    const created = await owner.call("POST", "/api/orgs", { name: "Acme", slug, prefix: "ACME" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Acme", slug, prefix: "ACME", publicBoard: false });

    const me = await owner.call("GET", "/api/me");
    expect(me.body.orgs).toHaveLength(1);
    expect(me.body.orgs[0]).toMatchObject({ id: created.body.id, permissions: ["admin.administrator"] });

    const taken = await owner.call("POST", "/api/orgs", { name: "Other", slug, prefix: "OTH" });
    expect(taken.status).toBe(409);
  });

  test("team with permissions, invite and accept, then remove the member", async () => {
    const owner = await backend.signUp("Owner");
    const joiner = await backend.signUp("Joiner");
    const org = (
      await owner.call("POST", "/api/orgs", {
        name: "Team Org",
        slug: `t-${crypto.randomUUID().slice(0, 8)}`,
        prefix: "TO",
      })
    ).body;

    const team = await owner.call("POST", `/api/orgs/${org.id}/teams`, {
      name: "Writers",
      permissions: ["tasks.create", "tasks.edit"],
    });
    expect(team.status).toBe(201);
    expect(team.body.permissions).toEqual(["tasks.create", "tasks.edit"]);

    // Not a member yet: the org is invisible.
    expect((await joiner.call("GET", `/api/orgs/${org.id}`)).status).toBe(404);

    const invite = await owner.call("POST", `/api/orgs/${org.id}/invites`, { teamId: team.body.id });
    expect(invite.status).toBe(201);
    expect(invite.body.code).toEqual(expect.any(String));

    const accepted = await joiner.call("POST", `/api/invites/${invite.body.code}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.id).toBe(org.id);

    const me = await joiner.call("GET", "/api/me");
    expect(me.body.orgs[0].permissions.sort()).toEqual(["tasks.create", "tasks.edit"]);
    const teams = (await owner.call("GET", `/api/orgs/${org.id}/teams`)).body;
    expect(teams.find((t: { id: string }) => t.id === team.body.id).memberIds).toEqual([joiner.id]);
    const task = await joiner.call("POST", `/api/orgs/${org.id}/tasks`, { title: "From the new member" });
    expect(task.status).toBe(201);
    expect((await joiner.call("DELETE", `/api/orgs/${org.id}/tasks/${task.body.id}`)).status).toBe(403);

    const members = await owner.call("GET", `/api/orgs/${org.id}/members`);
    expect(members.body.map((m: { userId: string }) => m.userId).sort()).toEqual([owner.id, joiner.id].sort());

    await owner.call("PUT", `/api/orgs/${org.id}/tasks/${task.body.id}/assignees`, { userIds: [joiner.id, owner.id] });
    const removed = await owner.call("DELETE", `/api/orgs/${org.id}/members/${joiner.id}`);
    expect(removed.status).toBe(200);
    // Takes effect at once: the next request is refused as an outsider's.
    expect((await joiner.call("GET", `/api/orgs/${org.id}/tasks`)).status).toBe(404);
    expect((await joiner.call("GET", "/api/me")).body.orgs).toEqual([]);
    // Their assignments go with them.
    expect((await owner.call("GET", `/api/orgs/${org.id}/tasks/${task.body.id}`)).body.assigneeIds).toEqual([owner.id]);
  });

  test("an invite for an e-mail only works for that (verified) account, and a revoked one not at all", async () => {
    const owner = await backend.signUp();
    const intended = await backend.signUp("Intended", { verified: true });
    const stranger = await backend.signUp();
    const org = (
      await owner.call("POST", "/api/orgs", {
        name: "Inv",
        slug: `i-${crypto.randomUUID().slice(0, 8)}`,
        prefix: "INV",
      })
    ).body;
    const invite = (await owner.call("POST", `/api/orgs/${org.id}/invites`, { email: intended.email })).body;
    expect((await stranger.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(403);
    expect((await intended.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(200);

    const revoked = (await owner.call("POST", `/api/orgs/${org.id}/invites`, {})).body;
    expect((await owner.call("DELETE", `/api/orgs/${org.id}/invites/${revoked.id}`)).status).toBe(200);
    expect((await stranger.call("POST", `/api/invites/${revoked.code}/accept`)).status).toBe(404);
    expect((await stranger.call("POST", "/api/invites/no-such-code/accept")).status).toBe(404);
  });

  test("the last administrator cannot be removed", async () => {
    const owner = await backend.signUp();
    const org = (
      await owner.call("POST", "/api/orgs", {
        name: "Solo",
        slug: `s-${crypto.randomUUID().slice(0, 8)}`,
        prefix: "SO",
      })
    ).body;
    const removed = await owner.call("DELETE", `/api/orgs/${org.id}/members/${owner.id}`);
    expect(removed.status).toBe(409);
    expect((await owner.call("GET", `/api/orgs/${org.id}`)).status).toBe(200);
  });
});
