import { expect, test } from "bun:test";
import { loadWorkerEnv } from "../src/env.ts";

const base = { DATABASE_URL: "postgres://x@localhost/db" };

test("ENCRYPTION_KEY is checked as the backend checks it: 32 bytes, base64", () => {
  expect(() => loadWorkerEnv({ ...base, ENCRYPTION_KEY: "too-short" })).toThrow(
    "Invalid worker configuration:\n  - ENCRYPTION_KEY: must be 32 bytes, base64-encoded",
  );
  const key = Buffer.alloc(32, 7).toString("base64");
  expect(loadWorkerEnv({ ...base, ENCRYPTION_KEY: key }).ENCRYPTION_KEY).toBe(key);
});

test("unset, the development key outside production and none in production", () => {
  expect(loadWorkerEnv({ ...base, NODE_ENV: "development" }).ENCRYPTION_KEY).toBeString();
  expect(loadWorkerEnv({ ...base, NODE_ENV: "production" }).ENCRYPTION_KEY).toBeUndefined();
});
