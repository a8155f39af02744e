import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

// The README's front door: `bun run dev` (Vite's dev server, the embedded database), booted by
// the test itself on free ports. No webServer here: the spec owns the processes it starts.
export default defineConfig({
  testDir: "./e2e/dev-server",
  workers: 1,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  outputDir: "./e2e/.results/dev-server",
  use: {
    screenshot: "only-on-failure",
    viewport: { width: 1400, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
