/**
 * Ports and cross-URLs: each app has its own port variable, so one .env serves all four
 * (a shared PORT made every app bind the same port); the URLs the apps give each other follow
 * the ports unless set; `NAME=` (as .env.example has) means unset.
 */
import { expect, test } from "bun:test";
import { loadWorkerEnv } from "../../worker/src/env.ts";
import { loadEnv } from "../src/env.ts";

test("the backend listens on BACKEND_PORT and derives its public URL and the board's origin", () => {
  const env = loadEnv({ BACKEND_PORT: "6468", WEB_PORT: "4000", PORT: "3000" });
  expect(env.BACKEND_PORT).toBe(6468);
  expect(env.BETTER_AUTH_URL).toBe("http://localhost:6468");
  expect(env.WEB_ORIGINS).toEqual(["http://localhost:4000"]);
});

test("defaults: 5468, and the board on 3000", () => {
  const env = loadEnv({});
  expect(env.BACKEND_PORT).toBe(5468);
  expect(env.BETTER_AUTH_URL).toBe("http://localhost:5468");
  expect(env.WEB_ORIGINS).toEqual(["http://localhost:3000"]);
});

test("in a container PORT stands in when the app's own variable is unset", () => {
  expect(loadEnv({ PORT: "8080" }).BACKEND_PORT).toBe(8080);
  expect(loadWorkerEnv({ PORT: "8081", DATABASE_URL: "postgres://x@localhost/db" }).WORKER_PORT).toBe(8081);
});

test("the worker listens on WORKER_PORT, not on the backend's PORT", () => {
  const env = loadWorkerEnv({ WORKER_PORT: "6469", PORT: "6468", DATABASE_URL: "postgres://x@localhost/db" });
  expect(env.WORKER_PORT).toBe(6469);
});

test("explicit URLs win over the derived ones", () => {
  const env = loadEnv({
    BACKEND_PORT: "6468",
    BETTER_AUTH_URL: "https://api.example.com",
    WEB_ORIGINS: "https://board.example.com, https://other.example.com",
  });
  expect(env.BETTER_AUTH_URL).toBe("https://api.example.com");
  expect(env.WEB_ORIGINS).toEqual(["https://board.example.com", "https://other.example.com"]);
});

test("empty values are unset, so a copied .env.example boots", () => {
  const env = loadEnv({
    BACKEND_PORT: "",
    PORT: "",
    BETTER_AUTH_URL: "",
    OTEL_EXPORTER_OTLP_ENDPOINT: "",
    SEED_DEMO: "",
  });
  expect(env.BACKEND_PORT).toBe(5468);
  expect(env.BETTER_AUTH_URL).toBe("http://localhost:5468");
  expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  expect(env.SEED_DEMO).toBeUndefined();
});
