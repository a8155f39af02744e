import { join } from "node:path";
import { spawnService } from "@tandem/util/spawn";

/** Starts `bun src/index.ts` with `env`; resolves with its URL once it logs "backend listening". */
export function spawnBackend(env: Record<string, string | undefined>) {
  return spawnService({
    command: ["bun", "src/index.ts"],
    cwd: join(import.meta.dir, ".."),
    env,
    ready: /"url":"(http:\/\/[^"]+)".*?"msg":"backend listening"/,
  });
}

/**
 * Signs a new user up over HTTP on a spawned backend and creates an org for them. `address`
 * (X-Forwarded-For, for a backend with TRUST_PROXY) keeps sign-ups clear of the per-address limit.
 */
export async function signUpWithOrg(url: string, origin: string, prefix: string, address?: string) {
  const headers = { "content-type": "application/json", origin };
  const credentials = {
    email: `${prefix.toLowerCase()}-${crypto.randomUUID()}@example.test`,
    password: "password-123",
  };
  await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: address ? { ...headers, "x-forwarded-for": address } : headers,
    body: JSON.stringify({ ...credentials, name: prefix }),
  });
  // Sign-up does not sign in (the same answer for a registered address): sign in next.
  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers,
    body: JSON.stringify(credentials),
  });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const org = (await (
    await fetch(`${url}/api/orgs`, {
      method: "POST",
      headers: { ...headers, cookie },
      body: JSON.stringify({
        name: prefix,
        slug: `${prefix.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`,
        prefix,
      }),
    })
  ).json()) as { id: string };
  return { cookie, org, headers: { ...headers, cookie } };
}
