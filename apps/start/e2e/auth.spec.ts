import { expect, type Page, test } from "@playwright/test";
import { API_URL, card, createOrg, createUser, type TestUser, WEB_URL } from "./helpers.ts";

async function fillSignIn(page: Page, user: TestUser) {
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("signing in from / lands on the board, not back on /login", async ({ page }) => {
  const user = await createUser("Returning");
  const org = await createOrg(user, "RET");
  await page.goto("/");
  await page.waitForURL((url) => url.pathname === "/login");
  expect(new URL(page.url()).searchParams.get("redirect")).toBe("/");
  await fillSignIn(page, user);
  await page.waitForURL((url) => url.pathname === `/o/${org.slug}`);
  await expect(page.getByText("No tasks yet")).toBeVisible();
});

test("a deep link to a task survives sign-in, path and query", async ({ page }) => {
  const user = await createUser("Linked");
  const org = await createOrg(user, "DLK");
  const created = await user.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Linked from chat" } });
  expect(created.status()).toBe(201);
  await page.goto(`/o/${org.slug}?task=DLK-1`);
  await page.waitForURL((url) => url.pathname === "/login");
  expect(new URL(page.url()).searchParams.get("redirect")).toBe(`/o/${org.slug}?task=DLK-1`);
  await fillSignIn(page, user);
  await page.waitForURL((url) => url.pathname === `/o/${org.slug}` && url.searchParams.get("task") === "DLK-1");
  await expect(page.getByTestId("task-dialog").getByLabel("Title")).toHaveValue("Linked from chat");
});

test("a new user signs up from / and gets to create an org, not a sign-in form", async ({ page }) => {
  await page.goto("/");
  await page.waitForURL((url) => url.pathname === "/login");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL((url) => url.pathname === "/signup");
  await page.getByLabel("Name").fill("Fresh Face");
  await page.getByLabel("E-mail").fill(`fresh-${Date.now()}@example.test`);
  await page.getByLabel("Password (8+ characters)").fill("a-long-password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Create your organization" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
});

test("a new user opening an invite link signs up and comes back to the invite to join", async ({ page }) => {
  const owner = await createUser("Inviter");
  const org = await createOrg(owner, "INV");
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Welcome aboard" } });
  const invite = await (await owner.api.post(`/api/orgs/${org.id}/invites`, { data: {} })).json();

  await page.goto(`/invite/${invite.code}`);
  await page.waitForURL((url) => url.pathname === "/login");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL((url) => url.pathname === "/signup");
  expect(new URL(page.url()).searchParams.get("redirect")).toBe(`/invite/${invite.code}`);
  await page.getByLabel("Name").fill("Invitee");
  await page.getByLabel("E-mail").fill(`invitee-${Date.now()}@example.test`);
  await page.getByLabel("Password (8+ characters)").fill("a-long-password");
  await page.getByRole("button", { name: "Sign up" }).click();

  await page.waitForURL((url) => url.pathname === `/invite/${invite.code}`);
  await page.getByRole("button", { name: "Join the organization" }).click();
  await page.waitForURL((url) => url.pathname === `/o/${org.slug}`);
  await expect(card(page, "Welcome aboard")).toBeVisible();
});

test("redirect targets off this site are refused", async ({ browser }) => {
  const user = await createUser("Careful");
  const org = await createOrg(user, "OPR");
  for (const target of [
    "//evil.example",
    "https://evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
  ]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`/login?redirect=${encodeURIComponent(target)}`);
    await fillSignIn(page, user);
    // Falls back to "/", which opens the user's board.
    await page.waitForURL((url) => url.pathname === `/o/${org.slug}`);
    expect(new URL(page.url()).origin, target).toBe(WEB_URL);
    await context.close();
  }
});

test("the sign-in page offers GitHub only when the server has it configured", async ({ page }) => {
  // The browser-test backend has no GitHub OAuth app.
  const config = page.waitForResponse((response) => response.url().endsWith("/api/auth-config"));
  await page.goto("/login");
  expect(await (await config).json()).toMatchObject({ github: false });
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue with GitHub" })).toHaveCount(0);
  await page.screenshot({ path: "e2e/.results/login.png" });
});

test("the API reference renders with no internet (assets served by the backend)", async ({ browser }) => {
  const context = await browser.newContext();
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === "localhost" || host === "127.0.0.1") return route.continue();
    blocked.push(route.request().url());
    return route.abort("internetdisconnected");
  });
  const page = await context.newPage();
  await page.goto(`${API_URL}/api/docs`);
  await expect(page.getByRole("heading", { name: "Tandem API" }).first()).toBeVisible({ timeout: 15_000 });
  // The operations are listed: every tag of the document, and the first tag's operations open.
  for (const tag of ["Organizations", "Tasks", "Teams", "Events"]) {
    await expect(page.getByText(tag, { exact: true }).first()).toBeVisible();
  }
  await expect(page.getByText("Which sign-in methods this server offers").first()).toBeVisible();
  await expect(page.getByText("/api/auth-config").first()).toBeVisible();
  await page.screenshot({ path: "e2e/.results/api-docs-offline.png" });
  expect(blocked).toEqual([]);
  await context.close();
});
