import type { Subprocess } from "bun";

type Spawned = {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string | null;
  output: string;
  /** Resolves with the first match of `pattern` in stdout printed after the ready line (a barrier on a log line). */
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
};

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
}): Promise<Spawned> {
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
    if (match?.[1]) return { proc, url: match[1], output, waitForOutput: follow(() => reader.read(), decoder) };
  }
  output += await new Response(proc.stderr).text();
  return { proc, url: null, output, waitForOutput: follow(() => reader.read(), decoder) };
}

/**
 * Keeps draining stdout (so the child never blocks on a full pipe) and lets a test wait for a
 * line printed from now on.
 */
function follow(
  read: () => Promise<{ value?: Uint8Array; done: boolean }>,
  decoder: TextDecoder,
): Spawned["waitForOutput"] {
  let later = "";
  let ended = false;
  const waiters = new Set<() => void>();
  void (async () => {
    for (;;) {
      const { value, done } = await read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      later += decoder.decode(value);
      for (const wake of waiters) wake();
    }
    ended = true;
    for (const wake of waiters) wake();
  })();
  return (pattern, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; got:\n${later}`));
      }, timeoutMs);
      function check() {
        const match = pattern.exec(later);
        if (!match && !ended) return;
        clearTimeout(timer);
        waiters.delete(check);
        if (match) resolve(match);
        else reject(new Error(`process output ended without ${pattern}; got:\n${later}`));
      }
      waiters.add(check);
      check();
    });
}
