import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { type DevStack, removeDataDir, stackPids, startDevStack } from "./dev-stack.ts";

const DEMO = { email: "demo@tandem.dev", password: "tandem-demo-1" };

let stack: DevStack | undefined;

test.afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

/** Every uncaught error and console error of the page (Vite's overlay logs one too). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Signed out, the app asks who is signed in and gets 401: Chromium logs that response.
    const { url } = message.location();
    if (message.text().includes("status of 401") && new URL(url).pathname === "/api/me") return;
    errors.push(`console.error: ${message.text()} (${url})`);
  });
  return errors;
}

/** Waits for `locator` to show, failing at once with the page's errors or Vite's overlay. */
async function expectRendered(page: Page, locator: Locator, errors: string[]) {
  const overlay = page.locator("vite-error-overlay");
  const deadline = Date.now() + 60_000;
  for (;;) {
    const shown = (await overlay.count()) > 0 ? await overlay.evaluate((el) => el.shadowRoot?.textContent ?? "") : "";
    expect(shown, "Vite error overlay").toBe("");
    expect(errors, "errors in the page").toEqual([]);
    if (await locator.first().isVisible()) return;
    if (Date.now() > deadline) break;
    await page.waitForTimeout(250); // a bounded poll, not a fixed wait: it returns as soon as the page is ready
  }
  await expect(locator.first()).toBeVisible({ timeout: 1 });
}

test("bun run dev, as the README says: demo sign-in, board, deep-linked task and public board render", async ({
  page,
  browser,
}, testInfo) => {
  stack = await startDevStack(testInfo.outputDir);
  const web = stack.webUrl;
  const errors = watchErrors(page);

  // Signed out, `/` sends a person to the sign-in page.
  await page.goto(`${web}/`);
  await expectRendered(page, page.getByRole("heading", { name: "Sign in" }), errors);

  // Sign in from there: the person lands on the board, not back on /login.
  await page.getByLabel("E-mail").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/o/demo");
  const cards = page.getByTestId("task-card");
  await expectRendered(page, cards.filter({ hasText: "Set up CI for the firmware repo" }), errors);
  expect(await cards.count()).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: testInfo.outputPath("board.png") });

  // A task by deep link opens its dialog; signed out, the link survives the sign-in.
  await page.context().clearCookies();
  await page.goto(`${web}/o/demo?task=DEMO-2`);
  await page.waitForURL("**/login**");
  await page.getByLabel("E-mail").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/o/demo" && url.searchParams.get("task") === "DEMO-2");
  const dialog = page.getByTestId("task-dialog");
  await expectRendered(page, dialog, errors);
  await expect(dialog.getByLabel("Title")).toHaveValue("Gripper torque calibration drifts after an hour");
  await page.screenshot({ path: testInfo.outputPath("task-dialog.png") });

  // Settings loads the rest of the contracts (permissions, public fields) into the browser.
  await page.goto(`${web}/o/demo/settings`);
  await expectRendered(page, page.getByRole("heading", { name: "Teams and permissions" }), errors);

  // The public board, signed out: public tasks only.
  const visitor = await browser.newContext();
  const anonymous = await visitor.newPage();
  const anonymousErrors = watchErrors(anonymous);
  await anonymous.goto(`${web}/p/demo`);
  await expectRendered(anonymous, anonymous.getByText("Set up CI for the firmware repo"), anonymousErrors);
  await expect(anonymous.getByText("Write the REST API quick start")).toHaveCount(0); // a private task
  await anonymous.screenshot({ path: testInfo.outputPath("public-board.png") });
  await visitor.close();

  // Stopping the stack ends every process `bun run dev` started and releases the database.
  const { dataDir } = stack;
  await stack.stop();
  expect(stackPids(dataDir)).toEqual([]);
  expect(existsSync(join(dataDir, "tandem.lock"))).toBe(false);
});
