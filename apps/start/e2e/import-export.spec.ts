import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { card, createOrg, createUser, screenshot, signIn } from "./helpers.ts";

let worker: ChildProcess | null = null;

/** Imports run in the worker: one for this spec, on the stack's database. */
test.beforeAll(async () => {
  const proc = spawn("bun", [join(import.meta.dirname, "../../worker/src/index.ts")], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info", NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  worker = proc;
  await new Promise<void>((resolve, reject) => {
    let output = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker listening"')) resolve();
    });
    proc.on("exit", (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
});
test.afterAll(() => {
  worker?.kill("SIGTERM");
});

test("a CSV is mapped, previewed and imported with live progress; the board shows its tasks; the export downloads", async ({
  browser,
}) => {
  const admin = await createUser("Ida Importer");
  const org = await createOrg(admin, "IMP");
  const ops = await admin.api.post(`/api/orgs/${org.id}/projects`, { data: { key: "OPS", name: "Ops" } });
  expect(ops.status()).toBe(201);
  const { page } = await signIn(browser, admin);
  await page.goto(`/o/${org.slug}/settings`);
  const section = page.getByRole("region", { name: "Import and export" });

  await section.getByLabel("Import format").selectOption("csv");
  const csv = [
    "Summary,State,Tags,Notes",
    'Migrate billing,In progress,"ops, urgent",From the old tracker',
    "Write runbook,Todo,ops,",
  ];
  await section.getByLabel("File to import").setInputFiles({
    name: "tracker.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv.join("\n")),
  });
  // The mapping step guesses from the header; the person corrects what it missed.
  await expect(section.getByLabel("Column for Title")).toHaveValue("Summary");
  await expect(section.getByLabel("Column for Status")).toHaveValue("State");
  await expect(section.getByLabel("Column for Description")).toHaveValue("Notes");
  await section.getByLabel("Column for Labels").selectOption("Tags");
  // The tasks go to the project chosen here, not the first one.
  await section.getByLabel("Import into project").selectOption({ label: "Into Ops (OPS)" });

  await section.getByRole("button", { name: "Preview" }).click();
  const preview = section.getByTestId("import-preview");
  await expect(preview).toContainText("Would create 2 tasks, 2 labels");
  await expect(preview).toContainText("Migrate billing (in progress)");
  const axe = await new AxeBuilder({ page }).include("#transfer-heading").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await section.getByRole("button", { name: "Import", exact: true }).click();
  const row = section.getByTestId("import").filter({ hasText: "tracker.csv" });
  await expect(row).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(row).toContainText("2 of 2 tasks");
  await screenshot(page, "import-export");

  await page.goto(`/o/${org.slug}/OPS`);
  await expect(card(page, "Migrate billing")).toBeVisible();
  await expect(card(page, "Write runbook")).toBeVisible();

  await page.goto(`/o/${org.slug}/settings`);
  const download = page.waitForEvent("download");
  await section.getByRole("link", { name: "Tasks (CSV)", exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^${org.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const text = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(text).toString()).toContain("OPS-1,Migrate billing,in_progress");
  // One project's tasks alone.
  const opsDownload = page.waitForEvent("download");
  await section.getByRole("link", { name: "OPS tasks (CSV)" }).click();
  const opsText = Buffer.concat(await (await (await opsDownload).createReadStream()).toArray()).toString();
  expect(opsText.trim().split("\n")).toHaveLength(3);
});
