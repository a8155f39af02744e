import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { createOrg, createUser, signIn } from "./helpers.ts";

test("a synced pull request shows its review state and GitHub-only assignee; a dead delivery shows its last error and a retry", async ({
  browser,
}) => {
  const admin = await createUser("Rhea Admin");
  const org = await createOrg(admin, "SYN");
  const link = await (
    await admin.api.post(`/api/orgs/${org.id}/github/repos`, { data: { fullName: "octo-org/board" } })
  ).json();
  execFileSync("bun", [join(import.meta.dirname, "github-fixture.ts"), org.id, link.id], {
    env: process.env,
    stdio: "inherit",
  });
  const { page } = await signIn(browser, admin);

  await page.goto(`/o/${org.slug}`);
  const card = page.getByTestId("task-card").filter({ hasText: "Speed up the board" });
  await expect(card.getByTestId("review-state")).toHaveText("Approved");
  await expect(card.getByRole("img", { name: "octocat (GitHub)" })).toBeVisible();
  await card.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("review-state")).toHaveText("Approved");
  await expect(dialog.getByTestId("external-assignees")).toContainText("@octocat");
  await page.screenshot({ path: "e2e/.results/github-sync-task.png" });
  await page.keyboard.press("Escape");

  await page.goto(`/o/${org.slug}/settings`);
  const dead = page.getByTestId("dead-delivery");
  await expect(dead).toContainText("issues.edited");
  await expect(dead).toContainText("Last error (step: issue): canceling statement due to lock timeout");
  await page.screenshot({ path: "e2e/.results/github-sync-dead.png", fullPage: true });
  // No job is kept for this delivery (no worker ran it): the retry says so instead of pretending.
  await dead.getByRole("button", { name: /^Retry issues delivery/ }).click();
  await expect(page.getByText("The delivery's job is no longer kept: ask GitHub to redeliver it")).toBeVisible();
  await expect(dead).toBeVisible();
});
