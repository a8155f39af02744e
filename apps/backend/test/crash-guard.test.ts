import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A stand-in for postgres.js's connection.js whose `nextWrite` writes to a closed (null)
// socket from a setImmediate: the exact shape of porsager/postgres#1066, where nothing can
// catch the TypeError. Anything else thrown the same way must still end the process.
const root = mkdtempSync(join(tmpdir(), "tandem-guard-"));
mkdirSync(join(root, "postgres", "src"), { recursive: true });
const driver = join(root, "postgres", "src", "connection.js");
writeFileSync(
  driver,
  "let socket = null;\nexport function nextWrite() {\n  return socket.write('chunk');\n}\nexport function otherBug() {\n  return socket.end();\n}\n",
);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function runWithGuard(thrower: "nextWrite" | "otherBug") {
  const script = `
    import { installDriverCrashGuard } from "@tandem/database";
    import { createLogger } from "@tandem/util/server";
    import { ${thrower} } from ${JSON.stringify(driver)};
    installDriverCrashGuard(createLogger({ service: "guard-test" }));
    setImmediate(${thrower});
    setImmediate(() => console.log("still alive"));
  `;
  const proc = Bun.spawn(["bun", "-e", script], { cwd: join(import.meta.dir, ".."), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

test("the driver's write to a closed socket is logged and swallowed: the process lives on", async () => {
  const run = await runWithGuard("nextWrite");
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain("still alive");
  expect(run.stderr).toContain("database driver wrote to a closed socket");
});

test("any other uncaught exception is logged and still ends the process with code 1", async () => {
  const run = await runWithGuard("otherBug");
  expect(run.code).toBe(1);
  expect(run.stdout).not.toContain("still alive");
  expect(run.stderr).toContain('"msg":"uncaught exception"');
});
