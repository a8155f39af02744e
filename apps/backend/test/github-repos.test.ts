import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { decryptSecret } from "@tandem/util/server";
import { eq, sql } from "drizzle-orm";
import { startGithubStandIn } from "../../worker/test/github-stand-in.ts";
import { ok, refused, startTestBackend, TEST_ENCRYPTION_KEY, type TestBackend, type TestUser } from "./harness.ts";

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

const orgOf = (user: TestUser) => user.api.api.orgs[":orgId"];
const repos = (user: TestUser) => orgOf(user).github.repos;
async function newOrg(user: TestUser, name: string, prefix: string) {
  const slug = `${prefix.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
  return (await ok(user.api.api.orgs.$post({ json: { name, slug, prefix } }), 201)).id;
}

test("repo links: the token is sealed at rest and never returned; other orgs get 404", async () => {
  const owner = await backend.signUp("Owner");
  const orgId = await newOrg(owner, "Gh", "GH");
  const linked = await ok(
    repos(owner).$post({ param: { orgId }, json: { fullName: "octo-org/octo-repo", token: "ghp_supersecret" } }),
    201,
  );
  expect(linked).toMatchObject({
    fullName: "octo-org/octo-repo",
    hasToken: true,
    deliveryUrl: `https://hooks.example.com/webhooks/github/${linked.id}`,
  });
  expect(JSON.stringify(linked)).not.toContain("ghp_");
  const listed = await ok(repos(owner).$get({ param: { orgId } }), 200);
  expect(JSON.stringify(listed)).not.toContain("ghp_");

  const [row] = await backend.db
    .select()
    .from(schema.githubRepository)
    .where(eq(schema.githubRepository.id, linked.id));
  expect(row?.tokenEncrypted).not.toContain("ghp_");
  expect(row?.githubRepoId).toBe(1296269);
  expect(decryptSecret(row?.tokenEncrypted ?? "", TEST_ENCRYPTION_KEY)).toBe("ghp_supersecret");

  await refused(repos(owner).$post({ param: { orgId }, json: { fullName: "octo-org/octo-repo" } }), 409);
  const invalid = await refused(repos(owner).$post({ param: { orgId }, json: { fullName: "not a repo" } }), 400);
  expect(invalid.error.field).toBe("fullName");

  const stranger = await backend.signUp("Stranger");
  const other = await newOrg(stranger, "O", "O");
  await refused(repos(stranger)[":repoId"].$delete({ param: { orgId: other, repoId: linked.id } }), 404);
  await refused(repos(stranger).$get({ param: { orgId } }), 404);
  await ok(repos(owner)[":repoId"].$delete({ param: { orgId, repoId: linked.id } }), 200);
});

test("admins see the dead-lettered deliveries of their own links, and only theirs", async () => {
  const owner = await backend.signUp("Owner");
  const orgId = await newOrg(owner, "Dl", "DL");
  const repo = `octo/dead-${crypto.randomUUID().slice(0, 8)}`;
  const link = await ok(repos(owner).$post({ param: { orgId }, json: { fullName: repo } }), 201);
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
  const dead = await ok(orgOf(owner).github.deliveries.$get({ param: { orgId }, query: { status: "dead" } }), 200);
  expect(dead.map((d) => d.id)).toEqual([mine]);
  expect(dead[0]).toMatchObject({ status: "dead", error: "failed after all retries", repository: repo });
});

test("an admin can ask for a resync now: a reconciliation job is queued for the worker", async () => {
  const owner = await backend.signUp("Owner");
  const orgId = await newOrg(owner, "Rs", "RS");
  const repo = await ok(
    repos(owner).$post({ param: { orgId }, json: { fullName: `octo/rs-${crypto.randomUUID().slice(0, 8)}` } }),
  );
  await ok(repos(owner)[":repoId"].resync.$post({ param: { orgId, repoId: repo.id } }), 202);
  const jobs = await backend.db.execute(
    sql`select 1 from pgboss.job where name = 'github-reconcile' and data->>'repoId' = ${repo.id}`,
  );
  expect(jobs.length).toBe(1);
  await refused(repos(owner)[":repoId"].resync.$post({ param: { orgId, repoId: "ghr_missing" } }), 404);
});
