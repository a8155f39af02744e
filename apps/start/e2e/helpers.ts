import { join } from "node:path";
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  expect,
  type Page,
  request,
} from "@playwright/test";
import { API_URL, WEB_URL } from "../playwright.config.ts";

export { API_URL, WEB_URL };

export type TestUser = { email: string; password: string; name: string; api: APIRequestContext; id: string };

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A user made through the real sign-up endpoint; `api` carries its session cookie. */
export async function createUser(name = "User"): Promise<TestUser> {
  const email = `e2e-${unique()}@example.test`;
  const password = "correct-horse-battery";
  const api = await request.newContext({ baseURL: API_URL, extraHTTPHeaders: { origin: WEB_URL } });
  expect((await api.post("/api/auth/sign-up/email", { data: { email, password, name } })).ok()).toBeTruthy();
  // Sign-up does not sign in (it answers the same for a registered address): sign in next.
  const response = await api.post("/api/auth/sign-in/email", { data: { email, password } });
  expect(response.ok()).toBeTruthy();
  const body = await response.json();
  return { email, password, name, api, id: body.user.id };
}

export async function createOrg(user: TestUser, prefix = "E2E") {
  const slug = `e2e-${unique()}`;
  const response = await user.api.post("/api/orgs", { data: { name: `Org ${slug}`, slug, prefix } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string; slug: string; prefix: string };
}

/** Invites `user` into the org (optionally into a team) through the API. */
export async function addMember(owner: TestUser, orgId: string, user: TestUser, teamId?: string) {
  const invite = await (await owner.api.post(`/api/orgs/${orgId}/invites`, { data: teamId ? { teamId } : {} })).json();
  expect((await user.api.post(`/api/invites/${invite.code}/accept`)).ok()).toBeTruthy();
}

/**
 * A browser context signed in as `user`: its session cookie from the API sign-in, so a test
 * spends no page load on the login form (auth.spec.ts walks that form itself).
 */
export async function signIn(browser: Browser, user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: await user.api.storageState() });
  const page = await context.newPage();
  return { context, page };
}

export const card = (page: Page, title: string) => page.getByTestId("task-card").filter({ hasText: title });

/** Drags a card onto a column with real pointer events (dnd-kit's pointer sensor). */
export async function dragTo(page: Page, title: string, status: string) {
  // The cards paint before dnd-kit loads: drag once the board has taken them over.
  await page.locator('[data-testid="board"][data-draggable]').waitFor();
  const source = card(page, title);
  const target = page.getByTestId(`column-${status}`);
  const from = await source.boundingBox();
  if (!from) throw new Error("card not visible");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
  // Follow the column until it stops moving: parts of the board that load late move the
  // columns, and dnd-kit scrolls the board while the pointer is near its edge.
  let last = "";
  for (let step = 0; step < 30; step += 1) {
    const to = await target.boundingBox();
    if (!to) throw new Error("column not visible");
    await page.mouse.move(to.x + to.width / 2, to.y + 70, { steps: step === 0 ? 15 : 2 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const now = JSON.stringify(await target.boundingBox());
    if (now === last || now === JSON.stringify(to)) break;
    last = now;
  }
  await page.mouse.up();
}

/**
 * Light and dark screenshots of the page. Test runs write them under e2e/.results; only
 * `bun run screenshots` (SCREENSHOTS_DIR=docs/screenshots) refreshes the README's.
 */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR ?? join(import.meta.dirname, ".results", "screenshots");
  // A drag near the edge scrolls the board; the picture shows it from its first column.
  await page.evaluate(() => {
    for (const board of document.querySelectorAll<HTMLElement>('[data-testid="board"]')) board.scrollLeft = 0;
  });
  await settleAnimations(page);
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => {
      document.documentElement.classList.toggle("dark", t === "dark");
    }, theme);
    // Endless ones (the reconnecting pulse) are shown at rest.
    await page.screenshot({ path: join(dir, `${name}-${theme}.png`), animations: "disabled" });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
}

/**
 * Waits for every animation that ends (a card's drop, a dialog opening, CSS transitions) to
 * end, and for what its end renders, so a picture never catches one half-way.
 */
async function settleAnimations(page: Page) {
  await page.evaluate(async () => {
    const finite = () =>
      document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    // An animation's end can start another (the drop, then the sort transition): until none is left.
    for (let pending = finite(); pending.length > 0; pending = finite()) {
      await Promise.all(pending.map((animation) => animation.finished.catch(() => undefined)));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }
  });
}
