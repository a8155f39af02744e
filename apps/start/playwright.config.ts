import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

// The browser tests run the real backend on real Postgres (DATABASE_URL, or the embedded
// database the root test script provides) and the built web app, on their own ports.
if (!process.env.DATABASE_URL) {
  throw new Error("The browser tests need DATABASE_URL: run them with `bun run test` from the repository root");
}
// Overridable so several checkouts can run their browser tests side by side.
const API_PORT = Number(process.env.E2E_API_PORT ?? 5568);
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
export const API_URL = `http://localhost:${API_PORT}`;
export const WEB_URL = `http://localhost:${WEB_PORT}`;
export const BACKEND_DATA_DIR = join(import.meta.dirname, "e2e", ".results", "backend-data");

export default defineConfig({
  testDir: "./e2e",
  // Spec files run one at a time by default; E2E_WORKERS=2 runs two side by side (each file makes
  // its own users and orgs, and the one that restarts the backend runs alone, last).
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 1),
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [["list"]],
  outputDir: "./e2e/.results",
  use: {
    baseURL: WEB_URL,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    // The dev-server boot test runs on its own stack (playwright.dev.config.ts).
    { name: "board", testIgnore: ["dev-server/**", "reconnect.spec.ts"] },
    // Restarts the shared backend: runs alone, after everything else.
    { name: "restart", testMatch: "reconnect.spec.ts", dependencies: ["board"] },
  ],
  webServer: [
    {
      command: "bun e2e/backend-supervisor.ts",
      url: `${API_URL}/health/ready`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        PORT: String(API_PORT),
        WEB_ORIGINS: WEB_URL,
        BETTER_AUTH_URL: API_URL,
        SEED_DEMO: "true",
        LOG_LEVEL: "warn",
        AUTH_CREDENTIAL_LIMIT: "10:1000",
        NODE_ENV: "development",
        DATABASE_URL: process.env.DATABASE_URL,
        // Mail goes to DATA_DIR/outbox (no SMTP_URL): the password-reset spec reads it there.
        DATA_DIR: BACKEND_DATA_DIR,
        // The webhooks spec's receiver listens on loopback.
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      },
    },
    {
      command: "bun .output/server/index.mjs",
      url: WEB_URL,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { PORT: String(WEB_PORT), API_URL },
    },
  ],
});
