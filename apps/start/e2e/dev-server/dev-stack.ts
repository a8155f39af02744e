/**
 * Starts `bun run dev` from the repository root the way the README says, in its own process
 * group, on free ports and a fresh data directory, and stops every process it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../../../..");

export type DevStack = {
  webUrl: string;
  apiUrl: string;
  workerUrl: string;
  docsUrl: string;
  dataDir: string;
  log: () => string;
  stop: () => Promise<void>;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Pids whose environment carries this stack's data directory: everything `bun run dev` started. */
export function stackPids(dataDir: string): number[] {
  const marker = `DATA_DIR=${dataDir}`;
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(marker) ? [Number(entry)] : [];
    } catch {
      return []; // gone, or not ours to read
    }
  });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function responds(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function startDevStack(resultsDir: string): Promise<DevStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-dev-"));
  const [backend, web, worker, docs] = [await freePort(), await freePort(), await freePort(), await freePort()];
  // A person's shell: none of the test run's database, ports or NODE_ENV.
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(TURBO_|E2E_|npm_|PLAYWRIGHT|TEST_)/.test(name)) continue;
    if (["DATABASE_URL", "NODE_ENV", "API_URL", "BETTER_AUTH_URL", "WEB_ORIGINS"].includes(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    DATA_DIR: dataDir,
    BACKEND_PORT: String(backend),
    WEB_PORT: String(web),
    WORKER_PORT: String(worker),
    DOCS_PORT: String(docs),
    // A PORT left in a .env must not send every app to one port (`bun run dev` ignores it).
    PORT: String(backend),
    // Set but empty, so a developer's own .env cannot hand the stack a Postgres.
    DATABASE_URL: "",
    LOG_LEVEL: "warn",
  });
  mkdirSync(resultsDir, { recursive: true });
  const logPath = join(resultsDir, "bun-run-dev.log");
  const logFile = createWriteStream(logPath);
  const child: ChildProcess = spawn("bun", ["run", "dev"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group, so one signal reaches the whole tree
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const log = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");
  const stack: DevStack = {
    webUrl: `http://localhost:${web}`,
    apiUrl: `http://localhost:${backend}`,
    workerUrl: `http://localhost:${worker}`,
    docsUrl: `http://localhost:${docs}`,
    dataDir,
    log,
    stop: async () => {
      const group = child.pid;
      if (group && !exited) process.kill(-group, "SIGTERM");
      try {
        await until(() => stackPids(dataDir).length === 0, 30_000, "the dev processes to exit");
      } finally {
        for (const pid of stackPids(dataDir)) process.kill(pid, "SIGKILL");
        logFile.end();
      }
    },
  };
  try {
    const ready = async (url: string) => {
      if (exited) throw new Error(`bun run dev exited early:\n${log().slice(-3000)}`);
      return responds(url);
    };
    // Readiness by polling each app's own endpoint; the first page compile of Vite is part of it.
    await until(() => ready(`${stack.apiUrl}/health/ready`), 180_000, "the backend");
    await until(() => ready(`${stack.workerUrl}/health`), 60_000, "the worker");
    await until(() => ready(`${stack.webUrl}/login`), 120_000, "the board (Vite dev server)");
    await until(() => ready(`${stack.docsUrl}/`), 120_000, "the docs");
  } catch (error) {
    await stack.stop();
    throw new Error(`${(error as Error).message}\n--- bun run dev ---\n${log().slice(-3000)}`);
  }
  return stack;
}

export function removeDataDir(dataDir: string) {
  rmSync(dataDir, { recursive: true, force: true });
}
