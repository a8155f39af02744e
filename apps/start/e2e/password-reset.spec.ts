import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { simpleParser } from "mailparser";
import { BACKEND_DATA_DIR } from "../playwright.config.ts";
import { createUser, signIn } from "./helpers.ts";

/** The link in the newest mail to `to` with `subject` that the backend wrote to its outbox (no SMTP here). */
async function mailedLink(to: string, subject: string): Promise<string> {
  const outbox = join(BACKEND_DATA_DIR, "outbox");
  let link = "";
  await expect
    .poll(async () => {
      const files = readdirSync(outbox, { withFileTypes: true }).filter((entry) => entry.name.endsWith(".eml"));
      for (const file of files
        .map((entry) => entry.name)
        .sort()
        .reverse()) {
        const mail = await simpleParser(readFileSync(join(outbox, file)));
        const recipient = mail.to && !Array.isArray(mail.to) ? mail.to.text : "";
        if (recipient !== to || mail.subject !== subject) continue;
        link = mail.text?.split(/\s+/).find((word) => word.startsWith("http")) ?? "";
        return link;
      }
      return "";
    })
    .not.toBe("");
  return link;
}

test("forgot password: the mailed link sets a new password, the open session ends, the new password signs in", async ({
  browser,
}) => {
  const user = await createUser("Rosa Reset");
  const elsewhere = await signIn(browser, user);
  await elsewhere.page.goto("/");
  await expect(elsewhere.page.getByRole("heading", { name: /organization/i }).first()).toBeVisible();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  // The login page has an E-mail field too: fill the reset page's, once it has replaced it.
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  // The request sends the mail before it answers: allow for a busy machine.
  await expect(page.getByRole("status")).toContainText("on its way", { timeout: 15_000 });

  await page.goto(await mailedLink(user.email, "Reset your Tandem password"));
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await page.getByLabel("New password (8+ characters)").fill("a-brand-new-secret-9");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=/);
  await expect(page.getByRole("status")).toContainText("Your password was changed");
  await page.screenshot({ path: "e2e/.results/password-reset.png" });

  // The session signed in before the reset is over.
  expect((await user.api.get("/api/me")).status()).toBe(401);

  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill("a-brand-new-secret-9");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");

  // The link worked once.
  await page.goto(await mailedLink(user.email, "Reset your Tandem password"));
  await expect(page.getByRole("status")).toContainText("not valid any more");
});
