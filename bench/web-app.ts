/** The production build of the board UI and its server, for the benchmarks that drive a browser. */
import { fileURLToPath } from "node:url";
import { cleanups } from "./lifecycle.ts";

export const START_DIR = fileURLToPath(new URL("../apps/start/", import.meta.url));
const SERVER_TIMEOUT_MS = 30_000;

export const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** `vite build` in apps/start (NODE_ENV=production), as the Dockerfile does. */
export function buildWebApp(): Promise<void> {
  const started = performance.now();
  const child = Bun.spawn(["bun", "--bun", "vite", "build"], {
    cwd: START_DIR,
    env: { ...process.env, NODE_ENV: "production" },
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill();
  });
  return (async () => {
    // Read both pipes while it runs so a full pipe never stalls the build; shown only on failure.
    const [out, err, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    if (code !== 0) throw new Error(`web app build failed (exit ${code}):\n${out}\n${err}`);
    console.log(`web app built in ${seconds(started)}`);
  })();
}

/** Serves the built app on `webPort`, talking to the API at `apiUrl`; resolves once it answers. */
export async function startWebServer(webPort: number, apiUrl: string): Promise<void> {
  const webUrl = `http://localhost:${webPort}`;
  const child = Bun.spawn(["bun", ".output/server/index.mjs"], {
    cwd: START_DIR,
    env: { ...process.env, PORT: String(webPort), API_URL: apiUrl },
    stdout: "ignore",
    stderr: "inherit",
  });
  cleanups.push(async () => {
    child.kill(); // its own pid only
    await child.exited;
  });
  const deadline = performance.now() + SERVER_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`web server exited with ${child.exitCode}`);
    const ok = await fetch(`${webUrl}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await Bun.sleep(200);
  }
  throw new Error(`web server did not answer on ${webUrl} within ${SERVER_TIMEOUT_MS} ms`);
}
