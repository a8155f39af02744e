/**
 * Issue 10.1 caveat: claiming a GitHub App installation needs proof that the claimer controls
 * it, not just its id. The admin must have signed in with GitHub, and the installation must be
 * among `GET /user/installations` for their GitHub user token. Real backend over HTTP, real
 * Postgres, a GitHub stand-in on loopback speaking the REST protocol (App JWTs and user tokens
 * checked, pages linked as GitHub links them).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ok, refused } from "../../backend/test/harness.ts";
import { appKeys, type GithubBackend, orgAdmin, startGithubBackend } from "./github-backend.ts";
import { startGithubStandIn } from "./github-stand-in.ts";

const APP_ID = "515151";
const { privateKey, publicKey } = appKeys();

let github: ReturnType<typeof startGithubStandIn>;
let api: GithubBackend;

beforeAll(async () => {
  github = startGithubStandIn({ app: { appId: APP_ID, publicKey } });
  api = await startGithubBackend({
    name: "installation-claim",
    encryptionKey: Buffer.alloc(32, 5).toString("base64"),
    githubUrl: github.url,
    app: { appId: APP_ID, privateKey },
  });
});
afterAll(async () => {
  await api.stop();
  github.stop();
});

let nextId = 777_500_000 + (Date.now() % 100_000) * 1_000;

/** An org admin over HTTP, signed in with GitHub when given a token, and its installation claims. */
async function admin(name: string, githubToken?: string) {
  const { param, github } = await orgAdmin(api, name, githubToken);
  const claim = (installationId: number) => github.installations.$post({ param, json: { installationId } });
  const claimed = () => ok(github.installations.$get({ param }));
  return { claim, claimed };
}

const newInstallation = (login: string) => {
  const id = nextId++;
  github.addInstallation(id, login);
  return id;
};

test("knowing an installation's id is not enough: an admin not signed in with GitHub is refused", async () => {
  const installationId = newInstallation("victim-co");
  const mallory = await admin("Mallory");
  const res = await refused(mallory.claim(installationId), 403);
  expect(res.error).toMatchObject({
    code: "FORBIDDEN",
    message: "Sign in with GitHub first: claiming an installation needs proof that your GitHub account can access it",
    requestId: expect.any(String),
  });
  expect(await mallory.claimed()).toEqual([]);
});

test("signed in with GitHub, but the installation is not among the user's: refused, nothing stored", async () => {
  const installationId = newInstallation("victim-co");
  const own = newInstallation("mallory-co");
  github.grantUser("ghu_mallory", [own]);
  const mallory = await admin("Mallory", "ghu_mallory");
  const res = await refused(mallory.claim(installationId), 403);
  expect(res.error.message).toBe(
    "Your GitHub account cannot access that installation: someone who manages it on GitHub must claim it",
  );
  expect(await mallory.claimed()).toEqual([]);
  // GitHub was asked with Mallory's own user token.
  const asked = github.calls.filter((c) => c.path.startsWith("/user/installations"));
  expect(asked.at(-1)?.auth).toBe("token ghu_mallory");
});

test("a token GitHub no longer accepts is refused with a request to sign in again", async () => {
  const installationId = newInstallation("acme");
  const stale = await admin("Stale", "ghu_revoked_on_github");
  const res = await refused(stale.claim(installationId), 403);
  expect(res.error.message).toBe("GitHub did not accept your GitHub sign-in any more: sign in with GitHub again");
  expect(await stale.claimed()).toEqual([]);
});

test("the admin whose GitHub account can access it claims it (found past the first page); the same proof elsewhere is a 409", async () => {
  const installationId = newInstallation("acme");
  // 130 installations reachable: the one claimed is on the second page of 100.
  const others = Array.from({ length: 129 }, () => newInstallation("elsewhere"));
  github.grantUser("ghu_ada", [...others, installationId]);
  const ada = await admin("Ada", "ghu_ada");
  const before = github.calls.length;
  const res = await ok(ada.claim(installationId), 201);
  expect(res).toMatchObject({ id: installationId, account: "acme" });
  expect(await ada.claimed()).toEqual([expect.objectContaining({ id: installationId })]);
  const paged = github.calls.slice(before).filter((c) => c.path.startsWith("/user/installations"));
  expect(paged.map((c) => new URL(c.path, github.url).searchParams.get("page") ?? "1")).toEqual(["1", "2"]);

  // A teammate on GitHub with the same access, in another org: one installation, one org.
  github.grantUser("ghu_bob", [installationId]);
  const bob = await admin("Bob", "ghu_bob");
  await refused(bob.claim(installationId), 409);
});
