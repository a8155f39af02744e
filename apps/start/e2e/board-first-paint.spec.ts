import { expect, test } from "@playwright/test";
import { card, createOrg, createUser, signIn } from "./helpers.ts";

// Measured on the production build (Dec 2026), scripts fetched before the first card is in the
// page: 160 KB brotli. Before dnd-kit, Radix's menus, Better Auth and zod left it: ~235 KB.
// Notifications (issue 14) add ~0.8 KB before the first card although the bell loads after it:
// the /notifications route's entry, and the router's Link split into a chunk shared with it.
// Projects (issue 13) add ~5 KB before the first card (191 KB measured): the project switcher and
// the projects query, state columns, swimlanes, due and blocked badges, the blocking-pairs query
// and the multi-selection (the list layout, the bulk bar and the views sidebar load after it).
// Then 170 KB: the socket client's close codes left the zod-built realtime module (zod with them).
const FIRST_PAINT_JS_TRANSFER_BUDGET = 180 * 1024;

/** When the first card entered the page, on the page's own clock (an init script's observer). */
function recordFirstCard() {
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-testid="task-card"]')) return;
    (window as Window & { firstCardAt?: number }).firstCardAt = performance.now();
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
}

test("the board paints its cards before dnd-kit, the header menus and Better Auth load; then cards drag", async ({
  browser,
}) => {
  const owner = await createUser("Painter");
  const org = await createOrg(owner, "FP");
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "First paint card" } });
  const { context, page } = await signIn(browser, owner);
  await page.addInitScript(recordFirstCard);
  await page.goto(`/o/${org.slug}`);
  await expect(card(page, "First paint card")).toBeVisible();
  // The draggable board takes the cards over once its module has loaded.
  await page.locator('[data-testid="board"][data-draggable]').waitFor();
  const { firstCardAt = 0, scripts } = await page.evaluate(() => ({
    firstCardAt: (window as Window & { firstCardAt?: number }).firstCardAt,
    scripts: performance
      .getEntriesByType("resource")
      .filter((entry): entry is PerformanceResourceTiming => entry instanceof PerformanceResourceTiming)
      .filter((entry) => new URL(entry.name).pathname.endsWith(".js"))
      .map((entry) => ({ name: new URL(entry.name).pathname, start: entry.startTime, encoded: entry.encodedBodySize })),
  }));
  expect(firstCardAt).toBeGreaterThan(0);
  const before = scripts.filter((script) => script.start < firstCardAt);
  const names = before.map((script) => script.name);
  expect(names.filter((name) => /\/(kanban|header-menus|auth-client)-/.test(name))).toEqual([]);
  expect(scripts.some((script) => script.name.includes("/kanban-") && script.start > firstCardAt)).toBe(true);
  const transferred = before.reduce((sum, script) => sum + script.encoded, 0);
  console.log(`board JS before the first card: ${before.length} scripts, ${(transferred / 1024).toFixed(1)} KB`);
  expect(transferred).toBeLessThan(FIRST_PAINT_JS_TRANSFER_BUDGET);
  await context.close();
});

test("the header's menus open on the first click although they load late, and sign-out works", async ({ browser }) => {
  const owner = await createUser("Menus");
  const org = await createOrg(owner, "HM");
  const { context, page } = await signIn(browser, owner);
  await page.goto(`/o/${org.slug}`);
  await page.getByTestId("org-switcher").click();
  await expect(page.getByRole("menuitem", { name: "New organization…" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menuitem", { name: "New organization…" })).toBeHidden();
  await page.getByRole("button", { name: "Menus" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  // Signed out for real: the board sends the browser back to sign in.
  await page.goto(`/o/${org.slug}`);
  await page.waitForURL("**/login**");
  await context.close();
});

test("a board opened directly asks for its tasks, labels and members while its JavaScript is still on the way", async ({
  browser,
}) => {
  const owner = await createUser("Early");
  const org = await createOrg(owner, "EA");
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Fetched from the head" } });
  const { context, page } = await signIn(browser, owner);
  const asked = (path: string) =>
    page.waitForRequest((request) => new URL(request.url()).pathname === `/api/orgs/${org.id}/${path}`);
  const early = Promise.all([asked("tasks"), asked("labels"), asked("members")]);
  // The app's scripts are held back until the board's data has been asked for: only the
  // page's head can ask for it then (without it, this waits until the test times out).
  await page.route(
    (url) => url.pathname.endsWith(".js"),
    async (route) => {
      await early;
      await route.continue();
    },
  );
  await page.goto(`/o/${org.slug}`, { waitUntil: "commit" });
  await early;
  await expect(card(page, "Fetched from the head")).toBeVisible();
  await context.close();
});
