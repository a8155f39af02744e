import { expect, test } from "@playwright/test";
import { API_URL, addMember, card, createOrg, createUser, dragTo, screenshot, signIn, WEB_URL } from "./helpers.ts";

test("a new user signs up, creates an org and a task, drags it to In progress, and it stays after a reload", async ({
  page,
}) => {
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Nora New");
  await page.getByLabel("E-mail").fill(`nora-${Date.now()}@example.test`);
  await page.getByLabel("Password (8+ characters)").fill("a-long-password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Create your organization" })).toBeVisible();
  const slug = `nora-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill("Nora's team");
  await page.getByLabel("URL slug").fill(slug);
  await page.getByLabel("Task prefix").fill("NOR");
  await page.getByRole("button", { name: "Create organization" }).click();
  await page.waitForURL(`**/o/${slug}`);
  await expect(page.getByText("No tasks yet")).toBeVisible();

  await page.keyboard.press("c");
  await page.getByLabel("Title").fill("Ship the first feature");
  await page.getByRole("button", { name: "Create task" }).click();
  await expect(card(page, "Ship the first feature")).toBeVisible();
  await expect(page.getByTestId("column-todo").getByTestId("task-card")).toHaveCount(1);

  await dragTo(page, "Ship the first feature", "in_progress");
  await expect(page.getByTestId("column-in_progress").getByText("Ship the first feature")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.reload();
  await expect(page.getByTestId("column-in_progress").getByText("Ship the first feature")).toBeVisible();
  await expect(page.getByTestId("column-todo").getByTestId("task-card")).toHaveCount(0);
});

test("two members see each other's create, edit, move and delete live, without reload", async ({ browser }) => {
  const alice = await createUser("Alice");
  const bob = await createUser("Bob");
  const org = await createOrg(alice, "LIV");
  await addMember(alice, org.id, bob);
  const a = await signIn(browser, alice);
  const b = await signIn(browser, bob);
  await a.page.goto(`/o/${org.slug}`);
  await b.page.goto(`/o/${org.slug}`);
  await expect(a.page.getByText("No tasks yet")).toBeVisible();
  await expect(b.page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await expect(a.page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");

  // Create.
  await a.page.keyboard.press("c");
  await a.page.getByLabel("Title").fill("Shared task");
  await a.page.getByRole("button", { name: "Create task" }).click();
  await expect(card(b.page, "Shared task")).toBeVisible({ timeout: 1000 });

  // Edit (through the dialog).
  await card(a.page, "Shared task").click();
  const title = a.page.getByTestId("task-dialog").getByLabel("Title");
  await title.fill("Shared task, renamed");
  await title.press("Tab");
  await expect(card(b.page, "Shared task, renamed")).toBeVisible({ timeout: 1000 });
  await a.page.keyboard.press("Escape");

  // Move.
  await dragTo(a.page, "Shared task, renamed", "done");
  await expect(b.page.getByTestId("column-done").getByText("Shared task, renamed")).toBeVisible({ timeout: 1000 });
  await screenshot(a.page, "board");

  // Delete.
  await card(a.page, "Shared task, renamed").click();
  await screenshot(a.page, "task-dialog");
  await a.page.getByRole("button", { name: "Delete task" }).click();
  await a.page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(card(b.page, "Shared task, renamed")).toHaveCount(0, { timeout: 1000 });
  await expect(b.page.getByTestId("presence")).toBeVisible();
});

test("an anonymous visitor sees public task changes live and never a private task", async ({ browser }) => {
  const owner = await createUser("Owner");
  const org = await createOrg(owner, "PUB");
  await owner.api.patch(`/api/orgs/${org.id}`, { data: { publicBoard: true, publicFields: ["status"] } });
  const visible = await (
    await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Public roadmap item", visibility: "public" } })
  ).json();
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Secret plan", visibility: "private" } });

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/p/${org.slug}`);
  await expect(card(page, "Public roadmap item")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await screenshot(page, "public-board");

  await owner.api.patch(`/api/orgs/${org.id}/tasks/${visible.id}`, {
    data: { status: "done", version: visible.version },
  });
  await expect(page.getByTestId("column-done").getByText("Public roadmap item")).toBeVisible({ timeout: 2000 });
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Another secret", visibility: "private" } });
  // Barrier, not a wait: a public task made after the private one shows up live, and the
  // board's events arrive in order, so the private one has been (not) delivered by then.
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Later public item", visibility: "public" } });
  await expect(card(page, "Later public item")).toBeVisible();
  await expect(page.getByText("Secret plan")).toHaveCount(0);
  await expect(page.getByText("Another secret")).toHaveCount(0);

  const closed = await context.newPage();
  await closed.goto("/p/no-such-board");
  await expect(closed.getByRole("heading", { name: "No public board here" })).toBeVisible();
});

test("admin makes a team with tasks.create only: its member can create but cannot delete, and the API refuses it", async ({
  browser,
}) => {
  const admin = await createUser("Admin");
  const member = await createUser("Mia Member");
  const org = await createOrg(admin, "TEA");
  await addMember(admin, org.id, member);

  const adminSession = await signIn(browser, admin);
  const page = adminSession.page;
  await page.goto(`/o/${org.slug}/settings`);
  await page.getByLabel("New team name").fill("Contributors");
  await page.getByRole("button", { name: "Create team" }).click();
  const editor = page.locator('[data-testid="team-editor"][data-team="Contributors"]');
  await expect(editor).toBeVisible();
  await editor.getByRole("checkbox", { name: "Contributors tasks.create" }).click();
  await expect(editor.getByRole("checkbox", { name: "Contributors tasks.create" })).toHaveAttribute(
    "data-state",
    "checked",
  );
  await editor.getByLabel("Add a member to Contributors").selectOption({ label: "Mia Member" });
  await expect(editor.getByText("Mia Member")).toBeVisible();
  await screenshot(page, "team-editor");

  const memberSession = await signIn(browser, member);
  const mp = memberSession.page;
  await mp.goto(`/o/${org.slug}`);
  await expect(mp.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await expect(mp.getByRole("button", { name: /New task/ })).toBeVisible();
  // Admin pages are hidden from a member without admin permissions, and refused if opened.
  await expect(mp.getByRole("link", { name: "Settings" })).toHaveCount(0);
  expect((await member.api.patch(`/api/orgs/${org.id}`, { data: { name: "Taken over" } })).status()).toBe(403);
  await mp.keyboard.press("c");
  await mp.getByLabel("Title").fill("Made by a contributor");
  await mp.getByRole("button", { name: "Create task" }).click();
  await expect(card(mp, "Made by a contributor")).toBeVisible();
  // The task dialog is deep-linkable by key.
  await mp.goto(`/o/${org.slug}?task=TEA-1`);
  await expect(mp.getByTestId("task-dialog")).toBeVisible();
  await expect(mp.getByTestId("task-dialog").getByLabel("Title")).toHaveValue("Made by a contributor");
  // Unavailable actions stay visible and say why.
  await expect(mp.getByRole("button", { name: "Delete task" })).toHaveAttribute("aria-disabled", "true");

  const tasks = await (await member.api.get(`/api/orgs/${org.id}/tasks`)).json();
  const forced = await member.api.delete(`/api/orgs/${org.id}/tasks/${tasks.tasks[0].id}`);
  expect(forced.status()).toBe(403);
  expect((await forced.json()).error.code).toBe("FORBIDDEN");
});

test("the demo org is seeded so the first screen shows a board", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("E-mail").fill("demo@tandem.dev");
  await page.getByLabel("Password").fill("tandem-demo-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/o/demo");
  await expect(page.getByTestId("task-card").first()).toBeVisible();
  expect(API_URL).toContain("localhost");
  expect(WEB_URL).toContain("localhost");
});
