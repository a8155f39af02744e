import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { card, createOrg, createUser, screenshot, type TestUser } from "./helpers.ts";

const column = (page: Page, name: string) => page.locator(`section[data-state-name="${name}"]`);

type Project = { id: string; key: string; states: { id: string; name: string; color: string }[] };

async function makeProject(owner: TestUser, orgId: string, name: string, key: string): Promise<Project> {
  const made = await owner.api.post(`/api/orgs/${orgId}/projects`, { data: { name, key } });
  expect(made.status()).toBe(201);
  return made.json();
}

async function makeTask(owner: TestUser, orgId: string, data: Record<string, unknown>) {
  const made = await owner.api.post(`/api/orgs/${orgId}/tasks`, { data: { visibility: "public", ...data } });
  expect(made.status()).toBe(201);
  return made.json();
}

test("public boards per project: each project's own states and tasks, live, tabs between them; a private project has none", async ({
  page,
}) => {
  const owner = await createUser("Project Publisher");
  const org = await createOrg(owner, "PPB");
  // The org's switch publishes its first project (PPB) too: /p/:slug keeps showing that one.
  await owner.api.patch(`/api/orgs/${org.id}`, { data: { publicBoard: true, publicFields: ["priority"] } });
  const roadmap = await makeProject(owner, org.id, "Roadmap", "RMP");
  const docs = await makeProject(owner, org.id, "Docs", "DOC");
  await makeProject(owner, org.id, "Secret plans", "SEC");
  // A custom workflow for the roadmap: a "Shipping" state between In progress and Done.
  const shippingMade = await owner.api.post(`/api/orgs/${org.id}/projects/RMP/states`, {
    data: { name: "Shipping", category: "started", color: "#e11d48", position: 3 },
  });
  expect(shippingMade.status()).toBe(201);
  const shipping = await shippingMade.json();
  for (const key of ["RMP", "DOC"]) {
    const patched = await owner.api.patch(`/api/orgs/${org.id}/projects/${key}`, {
      data: { publicBoard: true, publicFields: ["priority"] },
    });
    expect(patched.ok()).toBeTruthy();
  }
  await makeTask(owner, org.id, { title: "Legacy board task" });
  await makeTask(owner, org.id, { title: "Roadmap launch", projectId: roadmap.id, stateId: shipping.id });
  await makeTask(owner, org.id, { title: "Roadmap private", projectId: "RMP", visibility: "private" });
  await makeTask(owner, org.id, { title: "Write the docs", projectId: docs.id });
  await makeTask(owner, org.id, { title: "Secret task", projectId: "SEC" });

  await page.goto(`/p/${org.slug}/RMP`);
  await expect(page.getByRole("heading", { name: /Roadmap/ })).toBeVisible();
  // The columns are the project's states, in its order, each with its colour.
  const states = (await (await owner.api.get(`/api/orgs/${org.id}/projects/RMP/states`)).json()) as {
    name: string;
  }[];
  expect(states.map((s) => s.name)).toContain("Shipping");
  await expect(page.locator("section[data-state-name]")).toHaveCount(states.length);
  expect(
    await page.locator("section[data-state-name]").evaluateAll((els) => els.map((e) => e.dataset.stateName)),
  ).toEqual(states.map((s) => s.name));
  await expect(column(page, "Shipping").locator("header span[aria-hidden]").first()).toHaveCSS(
    "background-color",
    "rgb(225, 29, 72)",
  );
  await expect(column(page, "Shipping").getByText("Roadmap launch")).toBeVisible();
  // Only this project's public tasks.
  for (const title of ["Roadmap private", "Write the docs", "Legacy board task", "Secret task"]) {
    await expect(card(page, title)).toHaveCount(0);
  }

  // Live: a task made in another project stays away, one made here appears (events arrive in order).
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await makeTask(owner, org.id, { title: "Docs arrives live", projectId: "DOC" });
  const live = await makeTask(owner, org.id, { title: "Roadmap arrives live", projectId: "RMP" });
  await expect(column(page, "Todo").getByText("Roadmap arrives live")).toBeVisible();
  await expect(card(page, "Docs arrives live")).toHaveCount(0);
  // …and moves to the custom state without a reload.
  await owner.api.patch(`/api/orgs/${org.id}/tasks/${live.id}`, {
    data: { stateId: shipping.id, version: live.version },
  });
  await expect(column(page, "Shipping").getByText("Roadmap arrives live")).toBeVisible();

  // The read-only task view names the task's state.
  await card(page, "Roadmap launch").click();
  const dialog = page.getByTestId("public-task-dialog");
  await expect(dialog.getByRole("heading", { name: "Roadmap launch" })).toBeVisible();
  await expect(dialog).toContainText("Shipping");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await screenshot(page, "public-project-board");
  // The tabs and the columns pass axe (no serious or critical findings).
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Tabs between the org's public projects; the private one is not among them.
  const nav = page.getByRole("navigation", { name: "Public projects" });
  await expect(nav.getByRole("link")).toHaveCount(3);
  await expect(nav).not.toContainText("Secret plans");
  await nav.getByRole("link", { name: /Docs/ }).click();
  await expect(page).toHaveURL(new RegExp(`/p/${org.slug}/DOC$`));
  await expect(card(page, "Write the docs")).toBeVisible();
  await expect(card(page, "Docs arrives live")).toBeVisible();
  await expect(card(page, "Roadmap launch")).toHaveCount(0);
  await expect(column(page, "Shipping")).toHaveCount(0);

  // The old address still shows the first public project's board.
  await page.goto(`/p/${org.slug}`);
  await expect(card(page, "Legacy board task")).toBeVisible();
  await expect(card(page, "Roadmap launch")).toHaveCount(0);
  await expect(nav.getByRole("link", { name: /PPB/ })).toHaveAttribute("aria-current", "page");

  // A private project's key (and a missing one) is no board at all.
  for (const key of ["SEC", "NOPE"]) {
    await page.goto(`/p/${org.slug}/${key}`);
    await expect(page.getByRole("heading", { name: "No public board here" })).toBeVisible();
    await expect(card(page, "Secret task")).toHaveCount(0);
  }
});
