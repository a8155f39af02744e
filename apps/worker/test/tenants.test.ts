/**
 * Issue 10.1: a repository link proves it belongs to its org before anything flows into it.
 * Real backend (linking, rotating, claiming over HTTP), real worker, a GitHub stand-in on
 * loopback speaking the REST protocol (tokens and App JWTs checked), real Postgres.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { eq } from "drizzle-orm";
import { ok, refused } from "../../backend/test/harness.ts";
import { appKeys, type GithubBackend, orgAdmin, startGithubBackend } from "./github-backend.ts";
import { startGithubStandIn } from "./github-stand-in.ts";
import { deliver, example, type HookTarget, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

const KEY = Buffer.alloc(32, 3).toString("base64");
const APP_ID = "424242";
const { privateKey, publicKey } = appKeys();

let github: ReturnType<typeof startGithubStandIn>;
let h: WorkerHarness;
let api: GithubBackend;

beforeAll(async () => {
  github = startGithubStandIn({ app: { appId: APP_ID, publicKey } });
  h = await startTestWorker({ ENCRYPTION_KEY: KEY, GITHUB_API_URL: github.url });
  api = await startGithubBackend({
    name: "worker-tenants",
    encryptionKey: KEY,
    githubUrl: github.url,
    workerUrl: h.worker.url,
    app: { appId: APP_ID, privateKey },
  });
});
afterAll(async () => {
  await api.stop();
  await h.stop();
  github.stop();
});

/** An org admin talking to the API over HTTP with a real session cookie. */
const admin = (name: string, githubToken?: string) => orgAdmin(api, name, githubToken);

let nextNumber = 1;
let nextRepoId = 9_100_000;
/** A private repository on the stand-in that one token may push to. */
function privateRepo() {
  const fullName = `acme/secret-plans-${crypto.randomUUID().slice(0, 6)}`;
  const id = nextRepoId++;
  github.addRepo(fullName, id);
  return { fullName, id };
}
function issueOf(repo: { fullName: string; id: number }, title: string, extra: Record<string, unknown> = {}) {
  const payload = example("issues", "opened");
  Object.assign(payload.repository, { full_name: repo.fullName, id: repo.id });
  Object.assign(payload.issue, { number: nextNumber++, title, state: "open" });
  return Object.assign(payload, extra);
}
async function taskTitles(orgId: string) {
  const rows = await h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, orgId));
  return rows.map((row) => row.title).sort();
}
const hookOf = (link: { id: string; webhookSecret: string }): HookTarget => ({
  id: link.id,
  secret: link.webhookSecret,
});

describe("repository links are walls between orgs", () => {
  test("two orgs link the same name: each link's secret reaches only its own org; deliveries lists stay apart", async () => {
    const repo = privateRepo();
    github.grant("ghp_a_token", repo.fullName, { push: true });
    const a = await admin("Alpha");
    const b = await admin("Bravo");
    const linkA = await ok(
      a.github.repos.$post({ param: a.param, json: { fullName: repo.fullName, token: "ghp_a_token" } }),
      201,
    );
    // B names A's repository without any token: the link is made, but nothing proves it yet.
    const linkB = await ok(b.github.repos.$post({ param: b.param, json: { fullName: repo.fullName } }), 201);
    expect(linkA.deliveryUrl).toBe(`${h.worker.url}/webhooks/github/${linkA.id}`);
    expect(linkA.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(linkA.webhookSecret).not.toBe(linkB.webhookSecret);
    // Shown once: never in the list, never in the database in the clear.
    const listed = await ok(a.github.repos.$get({ param: a.param }));
    expect(listed).toEqual([expect.objectContaining({ id: linkA.id, hasWebhookSecret: true })]);
    expect(JSON.stringify(listed)).not.toContain(linkA.webhookSecret);
    const [row] = await h.handle.db
      .select()
      .from(schema.githubRepository)
      .where(eq(schema.githubRepository.id, linkA.id));
    expect(row?.webhookSecretEncrypted).not.toContain(linkA.webhookSecret);

    const toA = await deliver(h.worker, "issues", issueOf(repo, "A's private plan"), { to: hookOf(linkA) });
    expect(toA.status).toBe(202);
    expect(await settled(h.handle, toA.deliveryId)).toBe("processed");
    expect(await taskTitles(a.org.id)).toEqual(["A's private plan"]);
    expect(await taskTitles(b.org.id)).toEqual([]);

    const toB = await deliver(h.worker, "issues", issueOf(repo, "B's own copy"), { to: hookOf(linkB) });
    expect(await settled(h.handle, toB.deliveryId)).toBe("processed");
    expect(await taskTitles(b.org.id)).toEqual(["B's own copy"]);
    expect(await taskTitles(a.org.id)).toEqual(["A's private plan"]);

    // A's secret does not open B's URL (nor the reverse).
    const crossed = await deliver(h.worker, "issues", issueOf(repo, "crossed"), {
      to: { id: linkB.id, secret: linkA.webhookSecret },
    });
    expect(crossed.status).toBe(401);
    expect(crossed.body.error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.any(String) });

    const deliveriesOf = async (who: typeof a) =>
      (await ok(who.github.deliveries.$get({ param: who.param, query: {} }))).map((d) => d.id);
    expect(await deliveriesOf(a)).toEqual([toA.deliveryId]);
    expect(await deliveriesOf(b)).toEqual([toB.deliveryId]);
  });

  test("the global secret routes by name to nobody; by a claimed installation only to the claiming org", async () => {
    const repo = privateRepo();
    github.grant("ghp_c_token", repo.fullName, { admin: true });
    const c = await admin("Charlie", "ghu_charlie");
    const d = await admin("Delta", "ghu_delta");
    const linkC = await ok(
      c.github.repos.$post({ param: c.param, json: { fullName: repo.fullName, token: "ghp_c_token" } }),
      201,
    );
    await ok(d.github.repos.$post({ param: d.param, json: { fullName: repo.fullName } }), 201);

    // Name only (no installation), then an installation nobody claimed: acknowledged, stored nowhere.
    const byName = await deliver(h.worker, "issues", issueOf(repo, "by name"), { to: "app" });
    const unclaimed = await deliver(
      h.worker,
      "issues",
      issueOf(repo, "unclaimed", { installation: { id: 555_000_001 } }),
      { to: "app" },
    );
    for (const sent of [byName, unclaimed]) {
      expect(sent.status).toBe(202);
      expect(sent.body.status).toBe("ignored");
      expect(await h.handle.sql`select 1 from webhook_delivery where id = ${sent.deliveryId}`).toHaveLength(0);
    }

    // Claiming is checked with GitHub, as the App and as the claimer; one installation, one org.
    const installationId = 555_000_000 + nextRepoId;
    github.addInstallation(installationId, "acme");
    github.grantUser("ghu_charlie", [installationId]);
    github.grantUser("ghu_delta", [installationId]);
    await ok(c.github.installations.$post({ param: c.param, json: { installationId } }), 201);
    await refused(d.github.installations.$post({ param: d.param, json: { installationId } }), 409);
    const unknown = await refused(
      d.github.installations.$post({ param: d.param, json: { installationId: installationId + 1 } }),
      400,
    );
    expect(unknown.error.field).toBe("installationId");
    expect(await ok(c.github.installations.$get({ param: c.param }))).toEqual([
      expect.objectContaining({ id: installationId, account: "acme" }),
    ]);

    const viaApp = await deliver(
      h.worker,
      "issues",
      issueOf(repo, "via the App", { installation: { id: installationId } }),
      { to: "app" },
    );
    expect(await settled(h.handle, viaApp.deliveryId)).toBe("processed");
    expect(await taskTitles(c.org.id)).toEqual(["via the App"]);
    expect(await taskTitles(d.org.id)).toEqual([]);
    const [stored] = await h.handle.sql<{ link_id: string }[]>`
      select link_id from webhook_delivery where id = ${viaApp.deliveryId}`;
    expect(stored?.link_id).toBe(linkC.id);

    // Released: the installation's deliveries reach nobody again.
    await ok(
      c.github.installations[":installationId"].$delete({
        param: { ...c.param, installationId: String(installationId) },
      }),
      200,
    );
    const released = await deliver(
      h.worker,
      "issues",
      issueOf(repo, "after release", { installation: { id: installationId } }),
      { to: "app" },
    );
    expect(released.body.status).toBe("ignored");
  });

  test("rotating a link's secret refuses the old one at once", async () => {
    const repo = privateRepo();
    const e = await admin("Echo");
    const link = await ok(e.github.repos.$post({ param: e.param, json: { fullName: repo.fullName } }), 201);
    const rotated = await ok(
      e.github.repos[":repoId"]["webhook-secret"].$post({ param: { ...e.param, repoId: link.id } }),
      200,
    );
    expect(rotated.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.webhookSecret).not.toBe(link.webhookSecret);
    const old = await deliver(h.worker, "issues", issueOf(repo, "old secret"), { to: hookOf(link) });
    expect(old.status).toBe(401);
    const fresh = await deliver(h.worker, "issues", issueOf(repo, "new secret"), { to: hookOf(rotated) });
    expect(await settled(h.handle, fresh.deliveryId)).toBe("processed");
    expect(await taskTitles(e.org.id)).toEqual(["new secret"]);
    // Another org cannot rotate (or learn) this link's secret.
    const stranger = await admin("Foxtrot");
    await refused(
      stranger.github.repos[":repoId"]["webhook-secret"].$post({ param: { ...stranger.param, repoId: link.id } }),
      404,
    );
  });

  test("a delivery for another repository than the link's is acknowledged and not applied", async () => {
    const repo = privateRepo();
    const other = privateRepo();
    const g = await admin("Golf");
    const link = await ok(g.github.repos.$post({ param: g.param, json: { fullName: repo.fullName } }), 201);
    const sent = await deliver(h.worker, "issues", issueOf(other, "someone else's"), { to: hookOf(link) });
    expect(sent.status).toBe(202);
    expect(sent.body.status).toBe("ignored");
    expect(await taskTitles(g.org.id)).toEqual([]);
  });

  test("a token is checked against the repository when the link is saved", async () => {
    const repo = privateRepo();
    github.grant("ghp_read_only", repo.fullName, { pull: true });
    github.grant("ghp_writer", repo.fullName, { push: true });
    const k = await admin("Kilo");
    for (const token of ["ghp_nobody_knows", "ghp_read_only"]) {
      const unproven = await refused(
        k.github.repos.$post({ param: k.param, json: { fullName: repo.fullName, token } }),
        400,
      );
      expect(unproven.error).toMatchObject({ code: "BAD_REQUEST", field: "token" });
    }
    const linked = await ok(
      k.github.repos.$post({ param: k.param, json: { fullName: repo.fullName, token: "ghp_writer" } }),
      201,
    );
    expect(linked).toMatchObject({ hasToken: true, fullName: repo.fullName });
  });
});
