import { chmodSync, chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin";

export type PrivateCluster = {
  url: string;
  port: number;
  /** `pg_ctl start -w`: returns once the server accepts connections. */
  start: () => Promise<void>;
  /** `pg_ctl stop -m fast`: clients are disconnected, in-flight transactions roll back. */
  stop: () => Promise<void>;
  /** Stops the server (if running) and deletes its data directory. */
  destroy: () => Promise<void>;
};

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A throwaway Postgres server of its own, for tests that stop and restart the database
 * (the machine's server must keep running). Postgres refuses to run as root, so as root the
 * tools run as the `postgres` user on a data directory that user owns.
 */
export async function startPrivateCluster(options: { ports: number[] }): Promise<PrivateCluster> {
  const asRoot = process.getuid?.() === 0;
  const run = async (args: string[]) => {
    const command = asRoot ? ["runuser", "-u", "postgres", "--", ...args] : args;
    const proc = Bun.spawn(command, { stdout: "pipe", stderr: "pipe", env: { ...process.env, LC_ALL: "C" } });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) throw new Error(`${args.join(" ")} exited ${code}: ${out}${err}`);
  };
  let port = 0;
  for (const candidate of options.ports) {
    if (await portIsFree(candidate)) {
      port = candidate;
      break;
    }
  }
  if (!port) throw new Error(`no free port among ${options.ports.join(", ")}`);
  const root = mkdtempSync(join(tmpdir(), "tandem-pg-"));
  chmodSync(root, 0o755);
  if (asRoot) {
    const id = (flag: string) => Number(Bun.spawnSync(["id", flag, "postgres"]).stdout.toString().trim());
    chownSync(root, id("-u"), id("-g"));
  }
  const dataDir = join(root, "data");
  await run([join(BIN, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: async () => {
      await run([join(BIN, "pg_ctl"), "-D", dataDir, "-o", serverOptions, "-l", join(root, "log"), "-w", "start"]);
      running = true;
    },
    stop: async () => {
      await run([join(BIN, "pg_ctl"), "-D", dataDir, "-m", "fast", "-w", "stop"]);
      running = false;
    },
    destroy: async () => {
      if (running) await cluster.stop().catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
