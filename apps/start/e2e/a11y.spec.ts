import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createOrg, createUser, signIn, type TestUser } from "./helpers.ts";

type Theme = "light" | "dark";

// Moderate in axe, but what a screen-reader user navigates by: one main landmark, one h1.
const STRUCTURE_RULES = new Set(["landmark-one-main", "page-has-heading-one"]);

/** axe's serious and critical findings, one line each, so a failure names rule and element. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter(
      (violation) =>
        violation.impact === "serious" || violation.impact === "critical" || STRUCTURE_RULES.has(violation.id),
    )
    .flatMap((violation) =>
      violation.nodes.map(
        (node) => `${violation.id} (${violation.impact}): ${node.target.join(" ")} — ${node.failureSummary ?? ""}`,
      ),
    );
}

async function themed(browser: Browser, theme: Theme, user?: TestUser) {
  const { context, page } = user ? await signIn(browser, user) : await anonymous(browser);
  await page.emulateMedia({ colorScheme: theme });
  await context.addInitScript((t) => localStorage.setItem("tandem-theme", t), theme);
  return { context, page };
}

async function anonymous(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function expectTheme(page: Page, theme: Theme) {
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b).*$/);
}

let owner: TestUser;
let org: { id: string; slug: string; prefix: string };
test.beforeAll(async () => {
  owner = await createUser("Ada Owner");
  org = await createOrg(owner, "AXE");
  const label = await (await owner.api.post(`/api/orgs/${org.id}/labels`, { data: { name: "frontend" } })).json();
  // One task per priority and status, so every badge colour is on the page.
  const priorities = ["urgent", "high", "medium", "low", "none"];
  const statuses = ["backlog", "todo", "in_progress", "done", "canceled"];
  for (const [index, priority] of priorities.entries()) {
    const response = await owner.api.post(`/api/orgs/${org.id}/tasks`, {
      data: {
        title: `A ${priority} task`,
        description: "Steps to reproduce, and what should happen instead.",
        priority,
        status: statuses[index],
        labelIds: [label.id],
        assigneeIds: [owner.id],
        visibility: "public",
      },
    });
    expect(response.status()).toBe(201);
  }
  const publish = await owner.api.patch(`/api/orgs/${org.id}`, {
    data: { publicBoard: true, publicFields: ["status", "priority", "labels"] },
  });
  expect(publish.ok()).toBeTruthy();
});

for (const theme of ["light", "dark"] as const) {
  test(`no serious or critical axe violations on the six main pages, ${theme} theme`, async ({ browser }) => {
    // Six axe passes; the project board (sidebar, switcher, inline-editable list) gives axe more
    // to walk, past the default minute on a busy shared box.
    test.setTimeout(120_000);
    const findings: Record<string, string[]> = {};

    const signedOut = await themed(browser, theme);
    await signedOut.page.goto("/login");
    await expect(signedOut.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expectTheme(signedOut.page, theme);
    findings.login = await seriousViolations(signedOut.page);

    await signedOut.page.goto(`/p/${org.slug}`);
    await expect(signedOut.page.getByText("A urgent task")).toBeVisible();
    findings["public board"] = await seriousViolations(signedOut.page);
    await signedOut.context.close();

    const { context, page } = await themed(browser, theme, owner);
    await page.goto(`/o/${org.slug}`);
    await expect(page.getByTestId("task-card")).toHaveCount(5);
    await expectTheme(page, theme);
    findings.board = await seriousViolations(page);

    await page.goto(`/o/${org.slug}?task=${org.prefix}-1`);
    await expect(page.getByTestId("task-dialog")).toBeVisible();
    findings["task dialog"] = await seriousViolations(page);

    await page.goto(`/o/${org.slug}?view=list`);
    await expect(page.getByText("A high task")).toBeVisible();
    findings["list view"] = await seriousViolations(page);

    await page.goto(`/o/${org.slug}/settings`);
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    findings.settings = await seriousViolations(page);
    await context.close();

    expect(Object.fromEntries(Object.entries(findings).filter(([, found]) => found.length))).toEqual({});
  });
}
