import { expect, test } from "@playwright/test";
import { createOrg, createUser, WEB_URL } from "./helpers.ts";

test("linking a repository shows its payload URL and secret once, with copy buttons; rotating shows a new one", async ({
  browser,
}) => {
  const admin = await createUser("Gia Admin");
  const org = await createOrg(admin, "GIT");
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: WEB_URL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.goto(`/o/${org.slug}/settings`);

  await page.getByLabel("Repository (owner/name)").fill("octo-org/roadmap");
  await page.getByRole("button", { name: "Link repository" }).click();
  const setup = page.getByRole("region", { name: "Webhook for octo-org/roadmap" });
  await expect(setup).toBeVisible();
  const [payloadUrl, contentType, secret] = await setup.locator("code").allInnerTexts();
  expect(payloadUrl).toMatch(/\/webhooks\/github\/ghr_\w+$/);
  expect(contentType).toBe("application/json");
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await setup.getByRole("button", { name: "Copy secret" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await setup.getByRole("button", { name: "Copy payload URL" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(payloadUrl);
  await page.screenshot({ path: "e2e/.results/github-settings.png", fullPage: true });

  // Shown once: gone after "I have saved it", and not served again after a reload.
  await setup.getByRole("button", { name: "I have saved it" }).click();
  await expect(setup).toHaveCount(0);
  const row = page.getByTestId("repo-link").filter({ hasText: "octo-org/roadmap" });
  await expect(row).toContainText(payloadUrl ?? "");
  await page.reload();
  await expect(page.getByTestId("repo-link")).toHaveCount(1);
  await expect(page.getByText(secret ?? "")).toHaveCount(0);

  await row.getByRole("button", { name: "Rotate secret" }).click();
  await expect(setup).toBeVisible();
  const rotated = (await setup.locator("code").allInnerTexts())[2];
  expect(rotated).toMatch(/^[0-9a-f]{64}$/);
  expect(rotated).not.toBe(secret);
});
