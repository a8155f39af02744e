/**
 * A real backend beside the worker under test: with `githubUrl`, "Sign in with GitHub" is
 * configured (the GitHub App's own client id and secret) and its GitHub calls go to the
 * stand-in. And org admins talking to it over HTTP with a real session cookie, signed in with
 * GitHub when given a token.
 */
import { generateKeyPairSync } from "node:crypto";
import { createApiClient } from "@tandem/backend/client";
import { composeBackend, createUserWithSession } from "@tandem/backend/compose";
import { connect, type DbHandle } from "@tandem/database";
import { createLogger } from "@tandem/util/server";
import { ok } from "../../backend/test/harness.ts";

export const ORIGIN = "http://localhost:3000";

/** An RSA key pair for a GitHub App: the backend signs its JWTs, the stand-in checks them. */
export function appKeys() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

export type GithubBackend = Awaited<ReturnType<typeof startGithubBackend>>;

export async function startGithubBackend(options: {
  name: string;
  encryptionKey?: string;
  githubUrl?: string;
  workerUrl?: string;
  app?: { appId: string; privateKey: string };
}) {
  const url = process.env.DATABASE_URL ?? "";
  const handle: DbHandle = connect(url, { applicationName: `${options.name}-test` });
  const backend = composeBackend({
    handle,
    databaseUrl: url,
    secret: `${options.name}-secret-`.padEnd(40, "x"),
    baseURL: "http://localhost:5468",
    webOrigins: [ORIGIN],
    logger: createLogger({ service: "backend" }, "error"),
    encryptionKey: options.encryptionKey,
    ...(options.githubUrl
      ? {
          github: { clientId: "Iv1.standin", clientSecret: "standin-secret" },
          githubSync: { apiUrl: options.githubUrl, workerUrl: options.workerUrl, app: options.app },
        }
      : {}),
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  return {
    url: running.url,
    auth: backend.auth,
    stop: async () => {
      await running.stop();
      await handle.close();
    },
  };
}

let nextAccountId = 777_000_000 + (Date.now() % 100_000) * 1_000;

/** A new user with an org of their own; `githubToken` links a GitHub account as signing in with GitHub does. */
export async function orgAdmin(api: GithubBackend, name: string, githubToken?: string) {
  const { userId, cookie } = await createUserWithSession(api.auth, {
    email: `${name.toLowerCase()}-${crypto.randomUUID()}@example.test`,
    password: "password-123",
    name,
  });
  if (githubToken) {
    const context = await api.auth.$context;
    await context.internalAdapter.linkAccount({
      userId,
      providerId: "github",
      accountId: String(nextAccountId++),
      accessToken: githubToken,
      scope: "read:user,user:email",
    });
  }
  const client = createApiClient(api.url, { headers: { cookie, origin: ORIGIN } });
  const slug = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
  const org = await ok(client.api.orgs.$post({ json: { name, slug, prefix: name.slice(0, 3).toUpperCase() } }), 201);
  const param = { orgId: org.id };
  return { org, param, github: client.api.orgs[":orgId"].github };
}
