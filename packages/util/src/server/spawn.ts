import type { Subprocess } from "bun";

/**
 * Starts a service process and resolves once its log prints a line matching `ready` (whose
 * first group is the URL). For tests that need a real process to stop, kill and restart.
 */
export async function spawnService(options: {
  command: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<{ proc: Subprocess<"ignore", "pipe", "pipe">; url: string | null; output: string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...options.env })) {
    // An explicit `undefined` removes an inherited variable.
    if (value !== undefined && !(key in options.env && options.env[key] === undefined)) env[key] = value;
  }
  const proc = Bun.spawn(options.command, { cwd: options.cwd, env, stdout: "pipe", stderr: "pipe" });
  let output = "";
  const decoder = new TextDecoder();
  const reader = proc.stdout.getReader();
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += decoder.decode(value);
    const match = options.ready.exec(output);
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
