/**
 * PgBouncer (Debian package) in front of the test database, in session pooling mode, on a
 * free port: installed with apt when missing and running as root (like the browser tests'
 * Chromium); otherwise the test stops and says what to install. Never skipped silently.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BINARY = "/usr/sbin/pgbouncer";
/** The same values as the backend's startup parameters (DEFAULT_DB_TIMEOUTS). */
export const TIMEOUTS =
  "SET statement_timeout = 15000; SET lock_timeout = 5000; SET idle_in_transaction_session_timeout = 30000";

function ensureInstalled() {
  if (existsSync(BINARY)) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    throw new Error(`PgBouncer not found at ${BINARY}: install it (Debian: apt-get install -y pgbouncer)`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => Bun.spawnSync(["apt-get", "install", "-y", "-qq", "pgbouncer"], { env }).exitCode === 0;
  if (install()) return;
  Bun.spawnSync(["apt-get", "update", "-qq"], { env });
  if (!install()) throw new Error("apt-get install pgbouncer failed: install it by hand");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type Bouncer = { url: string; stop: () => Promise<void> };

/** Starts PgBouncer before `databaseUrl`'s server; `url` is the same database through it. */
export async function startPgBouncer(databaseUrl: string, poolMode: "session" | "transaction" = "session") {
  ensureInstalled();
  const target = new URL(databaseUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "tandem-pgbouncer-"));
  chmodSync(dir, 0o777); // it drops root for the postgres user, who must read its files
  const user = decodeURIComponent(target.username || "postgres");
  writeFileSync(join(dir, "users.txt"), `"${user}" ""\n`);
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      // PgBouncer refuses startup parameters it does not know, so the timeouts Tandem sends at
      // connect are dropped here and set by the pooler on each server connection instead (as
      // the self-hosting guide says).
      `* = host=${target.hostname} port=${target.port || 5432} connect_query='${TIMEOUTS}'`,
      "[pgbouncer]",
      "ignore_startup_parameters = statement_timeout,lock_timeout,idle_in_transaction_session_timeout",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "auth_type = trust",
      `auth_file = ${join(dir, "users.txt")}`,
      `pool_mode = ${poolMode}`,
      "max_client_conn = 200",
      "default_pool_size = 40",
      `unix_socket_dir = ${dir}`,
      `logfile = ${join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  const command = process.getuid?.() === 0 ? [BINARY, "-u", "postgres"] : [BINARY];
  const proc = Bun.spawn([...command, join(dir, "pgbouncer.ini")], { stdout: "pipe", stderr: "pipe" });
  const deadline = performance.now() + 10_000;
  for (;;) {
    const open = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } }).then(
      (socket) => {
        socket.end();
        return true;
      },
      () => false,
    );
    if (open) break;
    if (proc.exitCode !== null || performance.now() > deadline) {
      throw new Error(`pgbouncer did not start: ${await new Response(proc.stderr).text()}`);
    }
    await Bun.sleep(50);
  }
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    stop: async () => {
      proc.kill();
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  } satisfies Bouncer;
}
