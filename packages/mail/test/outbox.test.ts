import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@tandem/util/server";
import { createMailer } from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "tandem-outbox-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("without SMTP_URL a message is written to the outbox as an .eml file", async () => {
  const outboxDir = join(dir, "outbox");
  const mailer = createMailer({ from: "Tandem <no-reply@tandem.test>", outboxDir, logger: createLogger({}, "error") });
  await mailer.send({
    to: "ada@example.test",
    subject: "Verify your e-mail",
    text: "Open https://tandem.test/verify?token=abc",
    link: "https://tandem.test/verify?token=abc",
  });
  const files = readdirSync(outboxDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toEndWith(".eml");
  const eml = readFileSync(join(outboxDir, files[0] ?? ""), "utf8");
  expect(eml).toContain("To: ada@example.test");
  expect(eml).toContain("Subject: Verify your e-mail");
  expect(eml).toContain("https://tandem.test/verify?token=abc");
});
