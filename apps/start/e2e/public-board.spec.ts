import { expect, test } from "@playwright/test";
import { card, createOrg, createUser } from "./helpers.ts";

const LONG = `First line of the description.\n\n  Indented second paragraph, ${"long ".repeat(120)}end.`;

test("public board: labels on cards, every public field and the whole description in a read-only task view", async ({
  page,
}) => {
  const owner = await createUser("Publisher");
  const org = await createOrg(owner, "PUB");
  const label = await (
    await owner.api.post(`/api/orgs/${org.id}/labels`, { data: { name: "roadmap", color: "#2563eb" } })
  ).json();
  const category = await (
    await owner.api.post(`/api/orgs/${org.id}/categories`, { data: { name: "Platform" } })
  ).json();
  const created = await owner.api.post(`/api/orgs/${org.id}/tasks`, {
    data: {
      title: "Ship the public roadmap",
      description: LONG,
      visibility: "public",
      priority: "high",
      labelIds: [label.id],
      categoryId: category.id,
      assigneeIds: [owner.id],
    },
  });
  expect(created.status()).toBe(201);
  const task = await created.json();
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Private plans", visibility: "private" } });
  await owner.api.patch(`/api/orgs/${org.id}`, {
    data: {
      publicBoard: true,
      publicFields: ["description", "status", "priority", "category", "labels", "assignees"],
    },
  });

  await page.goto(`/p/${org.slug}`);
  const publicCard = card(page, "Ship the public roadmap");
  await expect(publicCard).toBeVisible();
  await expect(publicCard).toContainText("roadmap");
  await expect(publicCard).toContainText("High");
  await expect(card(page, "Private plans")).toHaveCount(0);

  await publicCard.click();
  const dialog = page.getByTestId("public-task-dialog");
  await expect(dialog).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`\\?task=${task.key}`));
  await expect(dialog.getByRole("heading", { name: "Ship the public roadmap" })).toBeVisible();
  await expect(dialog).toContainText(task.key);
  await expect(dialog).toContainText("Todo");
  await expect(dialog).toContainText("High");
  await expect(dialog).toContainText("Platform");
  await expect(dialog).toContainText("Publisher");
  await expect(dialog.getByRole("list", { name: "Labels" })).toContainText("roadmap");
  // The whole description (the list only carries an excerpt), whitespace kept.
  const description = dialog.getByTestId("task-description");
  await expect(description).toContainText("end.");
  expect(await description.textContent()).toBe(LONG);
  await expect(description).toHaveCSS("white-space", "pre-wrap");
  // Read-only: nothing to type into, nothing to press but Close.
  await expect(dialog.locator("input, textarea, select")).toHaveCount(0);
  await expect(dialog.getByRole("button")).toHaveCount(1);

  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page).not.toHaveURL(/task=/);

  // A deep link opens the same view; an edit made after the page read the board but before its
  // subscription reached the hub (held back here until the edit is done) still reaches it.
  let release: () => void = () => {};
  const edited = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => void edited.then(() => server.send(message)));
    server.onMessage((message) => ws.send(message));
  });
  await page.goto(`/p/${org.slug}?task=${task.key}`);
  await expect(dialog.getByRole("heading", { name: "Ship the public roadmap" })).toBeVisible();
  await owner.api.patch(`/api/orgs/${org.id}/tasks/${task.id}`, {
    data: { description: "Rewritten while you read", version: task.version },
  });
  release();
  await expect(dialog.getByTestId("task-description")).toHaveText("Rewritten while you read");
});

test("a public field the org keeps private is not shown", async ({ page }) => {
  const owner = await createUser("Quiet publisher");
  const org = await createOrg(owner, "QPB");
  await owner.api.post(`/api/orgs/${org.id}/tasks`, {
    data: { title: "Only the title", description: "secret notes", visibility: "public", priority: "urgent" },
  });
  await owner.api.patch(`/api/orgs/${org.id}`, { data: { publicBoard: true, publicFields: ["status"] } });
  await page.goto(`/p/${org.slug}`);
  await card(page, "Only the title").click();
  const dialog = page.getByTestId("public-task-dialog");
  await expect(dialog.getByRole("heading", { name: "Only the title" })).toBeVisible();
  await expect(dialog).toContainText("Todo");
  await expect(dialog).not.toContainText("secret notes");
  await expect(dialog).not.toContainText("Urgent");
});
