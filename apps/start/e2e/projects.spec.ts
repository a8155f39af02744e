import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { addMember, card, createOrg, createUser, screenshot, signIn } from "./helpers.ts";

const column = (page: Page, name: string) => page.locator(`section[data-state-name="${name}"]`);

/** Drags a card onto a column found by its state's name, with real pointer events. */
async function dragToState(page: Page, title: string, state: string) {
  await page.locator('[data-testid="board"][data-draggable]').waitFor();
  const from = await card(page, title).boundingBox();
  const to = await column(page, state).boundingBox();
  if (!from || !to) throw new Error("card or column not visible");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 15 });
  await page.mouse.move(to.x + to.width / 2, to.y + 70, { steps: 5 });
  await page.mouse.up();
}

const isoDay = (offset: number) => {
  const day = new Date();
  day.setDate(day.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
};

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(" ")}`));
}

const inColumn = (page: Page, state: string, title: string): Locator => column(page, state).getByText(title);

test("projects: custom states, drag, due dates, views, swimlanes and bulk moves, seen live by a second member", async ({
  browser,
}) => {
  // One long story with two browsers and an axe pass: more than the default minute on a busy box.
  test.setTimeout(180_000);
  const alice = await createUser("Alice Admin");
  const bob = await createUser("Bob Builder");
  const org = await createOrg(alice, "PRJ");
  await addMember(alice, org.id, bob);
  const a = (await signIn(browser, alice)).page;
  const b = (await signIn(browser, bob)).page;
  // Six columns and the views sidebar fit without scrolling (dnd-kit scrolls a board dragged near its edge).
  for (const page of [a, b]) await page.setViewportSize({ width: 1920, height: 1000 });

  // Alice creates a project from the switcher; its board is /o/:slug/:key with the default workflow.
  await a.goto(`/o/${org.slug}`);
  await expect(a.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await a.getByLabel("Project", { exact: true }).selectOption({ label: "+ New project…" });
  await a.getByLabel("Project name").fill("Mobile app");
  await a.getByLabel("Key").fill("MOB");
  await a.getByRole("button", { name: "Create project" }).click();
  await a.waitForURL(`**/o/${org.slug}/MOB`);
  for (const state of ["Backlog", "Todo", "In progress", "Done", "Canceled"]) {
    await expect(column(a, state)).toBeVisible();
  }

  // Bob watches the same board while Alice adds a custom state in the settings.
  await b.goto(`/o/${org.slug}/MOB`);
  await expect(b.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await a.goto(`/o/${org.slug}/settings`);
  await a.getByLabel("Project", { exact: true }).selectOption({ label: "Mobile app (MOB)" });
  await a.getByLabel("New state name").fill("In review");
  await a.getByLabel("New state category").selectOption("started");
  await a.getByRole("button", { name: "Add state" }).click();
  await expect(a.getByTestId("state-row").filter({ has: a.getByLabel("Name of In review") })).toBeVisible();
  await expect(column(b, "In review")).toBeVisible();

  // Tasks in the project (made through the API, as any client would).
  const titles = ["Login screen", "Push notifications", "Offline mode", "Dark theme"];
  for (const title of titles) {
    const made = await alice.api.post(`/api/orgs/${org.id}/tasks`, { data: { title, projectId: "MOB" } });
    expect(made.status()).toBe(201);
  }
  await a.goto(`/o/${org.slug}`);
  // The last project used opens on /o/:slug.
  await expect(a.getByLabel("Project", { exact: true })).toHaveValue("MOB");
  await expect(card(a, "Dark theme")).toBeVisible();
  await expect(card(b, "Dark theme")).toBeVisible();

  // Drag a card into the custom state; Bob sees it move.
  await dragToState(a, "Login screen", "In review");
  await expect(inColumn(a, "In review", "Login screen")).toBeVisible();
  await expect(inColumn(b, "In review", "Login screen")).toBeVisible();

  // A due date in the past: the card says overdue, for Bob too.
  await card(a, "Push notifications").click();
  await a.getByTestId("task-dialog").getByLabel("Due date").fill(isoDay(-2));
  await a.keyboard.press("Escape");
  await expect(card(a, "Push notifications").getByTestId("due-badge")).toHaveAttribute("data-due", "overdue");
  await expect(card(b, "Push notifications").getByTestId("due-badge")).toHaveAttribute("data-due", "overdue");
  await expect(card(b, "Push notifications").getByTestId("due-badge")).toContainText("Overdue");

  // Group by assignee: a swimlane per person.
  const tasks = (await (await alice.api.get(`/api/orgs/${org.id}/tasks?project=MOB`)).json()).tasks as {
    id: string;
    title: string;
  }[];
  const offline = tasks.find((t) => t.title === "Offline mode");
  if (!offline) throw new Error("no Offline mode task");
  await alice.api.put(`/api/orgs/${org.id}/tasks/${offline.id}/assignees`, { data: { userIds: [bob.id] } });
  await a.getByLabel("Group by").selectOption("assignee");
  await expect(a).toHaveURL(/group=assignee/);
  const bobLane = a.locator('[data-testid="swimlane"]', { hasText: "Bob Builder" });
  await expect(bobLane.getByText("Offline mode")).toBeVisible();
  await expect(a.locator('[data-testid="swimlane"][data-lane="none"]').getByText("Dark theme")).toBeVisible();

  // Save it as a view, leave, and open it again from the sidebar and from its link.
  await a.getByLabel("View name").fill("By person");
  await a.getByRole("button", { name: "Save view" }).click();
  const viewButton = a.getByTestId("views").getByRole("button", { name: "By person", exact: true });
  await expect(viewButton).toBeVisible();
  await expect(a).toHaveURL(/view=view_/);
  const viewUrl = a.url();
  await a.goto(`/o/${org.slug}/MOB`);
  await expect(a.getByTestId("swimlane")).toHaveCount(0);
  await viewButton.click();
  await expect(a).toHaveURL(/group=assignee/);
  await expect(bobLane).toBeVisible();
  const viewId = new URL(viewUrl).searchParams.get("view");
  await a.goto(`/o/${org.slug}/MOB?view=${viewId}`);
  await expect(bobLane.getByText("Offline mode")).toBeVisible();
  await a.goto(`/o/${org.slug}/MOB`);

  // Multi-select three cards (shift-click, and x on a focused card), then move them from the palette.
  await card(a, "Dark theme").click({ modifiers: ["Shift"] });
  await card(a, "Offline mode").click({ modifiers: ["Shift"] });
  await card(a, "Push notifications").focus();
  await a.keyboard.press("x");
  await expect(a.getByTestId("bulk-count")).toHaveText("3 selected");
  await screenshot(a, "projects-board");
  expect(await seriousViolations(a)).toEqual([]);
  await a.keyboard.press("Control+k");
  await a.getByPlaceholder("Type a command or search…").fill("move selected to done");
  await a.getByRole("option", { name: "Move 3 selected to Done" }).click();
  for (const title of ["Dark theme", "Offline mode", "Push notifications"]) {
    await expect(inColumn(a, "Done", title)).toBeVisible();
    await expect(inColumn(b, "Done", title)).toBeVisible();
  }
  await expect(inColumn(b, "In review", "Login screen")).toBeVisible();
  // Done tasks are not overdue.
  await expect(card(b, "Push notifications").getByTestId("due-badge")).toHaveCount(0);
});

test("relations: 'blocked by' added in the task dialog marks the card, until the blocker is done", async ({
  browser,
}) => {
  const owner = await createUser("Rita Relations");
  const org = await createOrg(owner, "REL");
  const made = async (title: string) =>
    (await (await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title } })).json()) as {
      id: string;
      key: string;
      version: number;
    };
  const blocker = await made("Design the API");
  await made("Build the client");
  const { page } = await signIn(browser, owner);
  await page.goto(`/o/${org.slug}`);
  await card(page, "Build the client").click();
  const dialog = page.getByTestId("task-dialog");
  await dialog.getByLabel("Relation type").selectOption("blocked_by");
  await dialog.getByLabel("Related task key").fill(blocker.key);
  await dialog.getByRole("button", { name: "Add relation" }).click();
  await expect(dialog.getByTestId("relation")).toContainText(`Blocked by${blocker.key}`);
  await page.keyboard.press("Escape");
  await expect(card(page, "Build the client").getByTestId("blocked")).toHaveText(`Blocked by ${blocker.key}`);
  // The blocker is finished elsewhere: the marker goes.
  await owner.api.patch(`/api/orgs/${org.id}/tasks/${blocker.id}`, {
    data: { status: "done", version: blocker.version },
  });
  await expect(card(page, "Build the client").getByTestId("blocked")).toHaveCount(0);
  // Removed from the dialog.
  await card(page, "Build the client").click();
  await dialog.getByRole("button", { name: `Remove relation Blocked by ${blocker.key}` }).click();
  await expect(dialog.getByTestId("relation")).toHaveCount(0);
});
