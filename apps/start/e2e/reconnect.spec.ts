import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { card, createOrg, createUser, signIn } from "./helpers.ts";

// Specs run under Playwright's Node runner, not Bun.
const here = dirname(fileURLToPath(import.meta.url));
const supervisorPid = () => Number(readFileSync(join(here, ".results/backend-supervisor.pid"), "utf8"));

test("backend restarted while a tab is open: it shows reconnecting, then catches up on what changed meanwhile", async ({
  browser,
}) => {
  const owner = await createUser("Resilient");
  const org = await createOrg(owner, "RST");
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Before the restart" } });
  const { page } = await signIn(browser, owner);
  await page.goto(`/o/${org.slug}`);
  const indicator = page.getByTestId("connection-status");
  await expect(indicator).toHaveAttribute("data-status", "connected");
  await expect(card(page, "Before the restart")).toBeVisible();

  process.kill(supervisorPid(), "SIGUSR2"); // stop the backend
  await expect(indicator).toHaveAttribute("data-status", "reconnecting", { timeout: 10_000 });

  // While it is down, a worker-style write lands in the database (and its event log).
  const writer = spawnSync(
    "bun",
    [join(here, "../../backend/test/fixtures/worker-write.ts"), org.id, "Made while you were away"],
    {
      env: process.env,
    },
  );
  expect(writer.status).toBe(0);

  process.kill(supervisorPid(), "SIGUSR2"); // start it again
  await expect(indicator).toHaveAttribute("data-status", "connected", { timeout: 30_000 });
  await expect(card(page, "Made while you were away")).toBeVisible({ timeout: 5_000 });
  await expect(card(page, "Before the restart")).toBeVisible();
});
