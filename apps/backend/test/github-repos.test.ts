import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { decryptSecret } from "@tandem/util/server";
import { eq, sql } from "drizzle-orm";
import { startGithubStandIn } from "../../worker/test/github-stand-in.ts";
import { startTestBackend, TEST_ENCRYPTION_KEY, type TestBackend } from "./harness.ts";

let backend: TestBackend;
let github: ReturnType<typeof startGithubStandIn>;
beforeAll(async () => {
  github = startGithubStandIn();
  github.addRepo("octo-org/octo-repo", 1296269);
  github.grant("ghp_supersecret", "octo-org/octo-repo", { push: true });
  backend = await startTestBackend({ githubSync: { apiUrl: github.url, workerUrl: "https://hooks.example.com" } });
});
afterAll(async () => {
  await backend.stop();
  github.stop();
});

test("repo links: the token is sealed at rest and never returned; other orgs get 404", async () => {
  const owner = await backend.signUp("Owner");
  const org = (
    await owner.call("POST", "/api/orgs", { name: "Gh", slug: `gh-${crypto.randomUUID().slice(0, 8)}`, prefix: "GH" })
  ).body;
  const linked = await owner.call("POST", `/api/orgs/${org.id}/github/repos`, {
    fullName: "octo-org/octo-repo",
    token: "ghp_supersecret",
  });
  expect(linked.status).toBe(201);
  expect(linked.body).toMatchObject({
    fullName: "octo-org/octo-repo",
    hasToken: true,
    deliveryUrl: `https://hooks.example.com/webhooks/github/${linked.body.id}`,
  });
  expect(JSON.stringify(linked.body)).not.toContain("ghp_");
  const listed = await owner.call("GET", `/api/orgs/${org.id}/github/repos`);
  expect(JSON.stringify(listed.body)).not.toContain("ghp_");

  const [row] = await backend.db
    .select()
    .from(schema.githubRepository)
    .where(eq(schema.githubRepository.id, linked.body.id));
  expect(row?.tokenEncrypted).not.toContain("ghp_");
  expect(row?.githubRepoId).toBe(1296269);
  expect(decryptSecret(row?.tokenEncrypted ?? "", TEST_ENCRYPTION_KEY)).toBe("ghp_supersecret");

  expect(
    (await owner.call("POST", `/api/orgs/${org.id}/github/repos`, { fullName: "octo-org/octo-repo" })).status,
  ).toBe(409);
  expect(
    (await owner.call("POST", `/api/orgs/${org.id}/github/repos`, { fullName: "not a repo" })).body.error.field,
  ).toBe("fullName");

  const stranger = await backend.signUp("Stranger");
  const other = (
    await stranger.call("POST", "/api/orgs", { name: "O", slug: `o-${crypto.randomUUID().slice(0, 8)}`, prefix: "O" })
  ).body;
  expect((await stranger.call("DELETE", `/api/orgs/${other.id}/github/repos/${linked.body.id}`)).status).toBe(404);
  expect((await stranger.call("GET", `/api/orgs/${org.id}/github/repos`)).status).toBe(404);
  expect((await owner.call("DELETE", `/api/orgs/${org.id}/github/repos/${linked.body.id}`)).status).toBe(200);
});

test("admins see the dead-lettered deliveries of their own links, and only theirs", async () => {
  const owner = await backend.signUp("Owner");
  const org = (
    await owner.call("POST", "/api/orgs", { name: "Dl", slug: `dl-${crypto.randomUUID().slice(0, 8)}`, prefix: "DL" })
  ).body;
  const repo = `octo/dead-${crypto.randomUUID().slice(0, 8)}`;
  const link = (await owner.call("POST", `/api/orgs/${org.id}/github/repos`, { fullName: repo })).body;
  const mine = crypto.randomUUID();
  const theirs = crypto.randomUUID();
  const unverified = crypto.randomUUID();
  await backend.db.insert(schema.webhookDelivery).values([
    {
      id: mine,
      linkId: link.id,
      event: "issues",
      action: "opened",
      repository: repo,
      status: "dead",
      error: "failed after all retries",
    },
    { id: theirs, event: "issues", action: "opened", repository: "someone/else", status: "dead" },
    // The same repository name, not verified for this org's link: not this org's delivery.
    { id: unverified, event: "issues", action: "opened", repository: repo, status: "dead" },
  ]);
  const dead = await owner.call("GET", `/api/orgs/${org.id}/github/deliveries?status=dead`);
  expect(dead.status).toBe(200);
  expect(dead.body.map((d: { id: string }) => d.id)).toEqual([mine]);
  expect(dead.body[0]).toMatchObject({ status: "dead", error: "failed after all retries", repository: repo });
});

test("an admin can ask for a resync now: a reconciliation job is queued for the worker", async () => {
  const owner = await backend.signUp("Owner");
  const org = (
    await owner.call("POST", "/api/orgs", { name: "Rs", slug: `rs-${crypto.randomUUID().slice(0, 8)}`, prefix: "RS" })
  ).body;
  const repo = (
    await owner.call("POST", `/api/orgs/${org.id}/github/repos`, {
      fullName: `octo/rs-${crypto.randomUUID().slice(0, 8)}`,
    })
  ).body;
  const queued = await owner.call("POST", `/api/orgs/${org.id}/github/repos/${repo.id}/resync`);
  expect(queued.status).toBe(202);
  const jobs = await backend.db.execute(
    sql`select 1 from pgboss.job where name = 'github-reconcile' and data->>'repoId' = ${repo.id}`,
  );
  expect(jobs.length).toBe(1);
  expect((await owner.call("POST", `/api/orgs/${org.id}/github/repos/ghr_missing/resync`)).status).toBe(404);
});
