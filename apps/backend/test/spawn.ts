import { join } from "node:path";
import type { Subprocess } from "bun";

/** Starts `bun src/index.ts` with `env`; resolves with its URL once it logs "backend listening". */
export async function spawnBackend(
  env: Record<string, string | undefined>,
): Promise<{ proc: Subprocess; url: string | null; output: string }> {
  const clean: Record<string, string> = {};
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged))
    if (value !== undefined && !(key in env && env[key] === undefined)) clean[key] = value;
  const proc = Bun.spawn(["bun", "src/index.ts"], {
    cwd: join(import.meta.dir, ".."),
    env: clean,
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const decoder = new TextDecoder();
  const reader = proc.stdout.getReader();
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += decoder.decode(value);
    const match = /"msg":"backend listening".*?"url":"(http:\/\/[^"]+)"/.exec(output);
    if (match?.[1]) {
      // Keep draining stdout so the child never blocks on a full pipe.
      void (async () => {
        while (!(await reader.read().catch(() => ({ done: true }))).done) {}
      })();
      return { proc, url: match[1], output };
    }
  }
  output += await new Response(proc.stderr).text();
  return { proc, url: null, output };
}
