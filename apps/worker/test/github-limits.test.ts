import { afterAll, beforeEach, expect, test } from "bun:test";
import { githubClient } from "../src/github-api.ts";

/** A GitHub stand-in whose answers to `PATCH /repos/acme/app/issues/1` are scripted per test. */
let script: Array<() => Response> = [];
let requests = 0;
const issue = { id: 1, number: 1, state: "closed", updated_at: "2026-12-01T00:00:00Z" };
const server = Bun.serve({
  port: 0,
  fetch: () => {
    requests += 1;
    const next = script.shift();
    return next ? next() : Response.json(issue);
  },
});
afterAll(() => server.stop(true));
beforeEach(() => {
  script = [];
  requests = 0;
});

const client = githubClient({ apiUrl: server.url.origin, pacingMs: 0 }, "token");
const close = () => client.setIssueState("acme/app", 1, "closed", "completed");
const rateLimited = (resetInSeconds: number) => () =>
  Response.json(
    { message: "API rate limit exceeded" },
    {
      status: 403,
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + resetInSeconds),
      },
    },
  );

test("a primary rate limit with a near reset is waited out and the call succeeds", async () => {
  script = [rateLimited(0)];
  expect(await close()).toMatchObject({ number: 1, state: "closed" });
  expect(requests).toBe(2);
});

test("a reset beyond the longest wait fails the call at once (the job's retry takes over)", async () => {
  script = [rateLimited(3600)];
  await expect(close()).rejects.toMatchObject({ status: 403 });
  expect(requests).toBe(1);
});

test("a transient 502 is retried in place", async () => {
  script = [() => Response.json({ message: "Bad gateway" }, { status: 502 })];
  expect(await close()).toMatchObject({ number: 1 });
  expect(requests).toBe(2);
});

test("a 404 is an answer, not retried", async () => {
  script = [() => Response.json({ message: "Not Found" }, { status: 404 })];
  await expect(close()).rejects.toMatchObject({ status: 404 });
  expect(requests).toBe(1);
});
