import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Resolver } from "@tandem/domain";
import { createTestOrg } from "@tandem/domain/testing";
import { errorOf, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

/**
 * DNS for this backend, as an attacker would arrange it: a name that answers private, one that
 * answers public and private, and one that is public when saved and private when sent to.
 */
let rebound = false;
const dns: Resolver = async (hostname) => {
  if (hostname === "internal.test") return [{ address: "10.20.30.40", family: 4 }];
  if (hostname === "mixed.test")
    return [
      { address: "93.184.216.34", family: 4 },
      { address: "fd12:3456::99", family: 6 },
    ];
  if (hostname === "rebind.test") return [{ address: rebound ? "10.99.88.77" : "93.184.216.34", family: 4 }];
  // Answers for localhost as a broken resolver might, to prove the name is refused without asking.
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return [{ address: "93.184.216.34", family: 4 }];
  if (hostname === "example.com") return [{ address: "93.184.216.34", family: 4 }];
  throw new Error(`ENOTFOUND ${hostname}`);
};

let strict: TestBackend;
let admin: TestUser;
let path = "";

beforeAll(async () => {
  strict = await startTestBackend({ webhooks: { allowPrivateNetworks: false, resolve: dns, timeoutMs: 1000 } });
  admin = await strict.signUp("Hook admin");
  const org = await createTestOrg(strict.db, { ownerId: admin.id, prefix: "WA" });
  path = `/api/orgs/${org.id}/webhooks`;
});
afterAll(async () => {
  await strict.stop();
});

const INTERNAL = ["10.20.30.40", "fd12", "10.99.88.77", "127.0.0.1", "7f00"];

test("loopback in disguise is refused at save: mapped IPv6, decimal, octal, hex, short forms, localhost., userinfo", async () => {
  for (const url of [
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/hook",
    "http://2130706433/hook",
    "http://0177.0.0.1/hook",
    "http://0x7f.0.0.1/hook",
    "http://127.1/hook",
    "http://0/hook",
    "http://localhost./hook",
    "http://LOCALHOST/hook",
    "http://hooks.localhost/hook",
    "http://127.0.0.1#@example.com/hook",
    "http://127.0.0.1\\@example.com/hook",
  ]) {
    const result = await admin.raw("POST", path, { url, events: ["*"] });
    expect(`${url} ${result.status}`).toBe(`${url} 400`);
    const { error } = errorOf(result);
    expect(`${url} ${error.field}`).toBe(`${url} url`);
    expect(`${url} ${error.message}`).toContain("resolves to a private or reserved address");
  }
  // Userinfo that names a public host before the real (loopback) one: refused for its credentials.
  for (const url of ["http://example.com@127.0.0.1/hook", "http://example.com:80@127.0.0.1/hook"]) {
    const result = await admin.raw("POST", path, { url, events: ["*"] });
    expect(`${url} ${result.status}`).toBe(`${url} 400`);
    expect(errorOf(result).error.field).toBe("url");
  }
});

test("the refusal says the address is private, never which address a name resolved to", async () => {
  for (const url of ["http://internal.test/hook", "http://mixed.test/hook"]) {
    const result = await admin.raw("POST", path, { url, events: ["*"] });
    expect(result.status).toBe(400);
    const text = JSON.stringify(result.body);
    expect(text).toContain("resolves to a private or reserved address");
    for (const address of INTERNAL) expect(`${url} ${text}`).not.toContain(address);
  }
  const saved = await admin.raw("POST", path, { url: "http://internal.test/hook", events: ["*"] });
  expect(saved.status).toBe(400);
});

test("a name that rebinds to a private address after saving: the ping is refused, and its record names no address", async () => {
  rebound = false;
  const saved = await admin.raw("POST", path, { url: "http://rebind.test/hook", events: ["*"] });
  expect(saved.status).toBe(201);
  const id = (saved.body as { webhook: { id: string } }).webhook.id;
  rebound = true;
  const ping = await admin.raw("POST", `${path}/${id}/ping`);
  expect(ping.status).toBe(200);
  const deliveries = await admin.raw("GET", `${path}/${id}/deliveries`);
  const seen = JSON.stringify([ping.body, deliveries.body]);
  expect(seen).toContain("resolves to a private or reserved address");
  for (const address of INTERNAL) expect(seen).not.toContain(address);
});

test("huge and malformed webhook bodies are 4xx in the error shape", async () => {
  const big = await admin.raw("POST", path, {
    url: `https://example.com/${"x".repeat(2 * 1024 * 1024)}`,
    events: ["*"],
  });
  expect(big.status).toBe(413);
  expect(errorOf(big).error.code).toBe("PAYLOAD_TOO_LARGE");
  const malformed = await admin.raw("POST", path, '{"url": "https://example.com/hook", "events": [');
  expect(malformed.status).toBe(400);
  expect(errorOf(malformed).error.code).toBe("BAD_REQUEST");
  const long = await admin.raw("POST", path, { url: `https://example.com/${"x".repeat(2100)}`, events: ["*"] });
  expect(long.status).toBe(400);
  expect(errorOf(long).error.field).toBe("url");
});
