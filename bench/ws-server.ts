/**
 * A WebSocket server in a fresh process for the memory subject of bench/ws.ts: the real
 * backend (hub) or a bare Bun.serve. A fresh process per run, because memory freed by an
 * earlier run stays in the allocator and would hide the next run's growth.
 *
 * Reports `listening`, then answers `rss` (after a full GC) until `exit`.
 */
import { composeBackend } from "@tandem/backend/compose";
import { connect } from "@tandem/database";
import { createLogger } from "@tandem/util/server";
import { startBareServer } from "./ws-bare.ts";
import { commands, report, type ServerCommand, type ServerConfig } from "./ws-protocol.ts";

function parseConfig(): ServerConfig {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: bun bench/ws-server.ts '<ServerConfig JSON>'");
  return JSON.parse(raw) as ServerConfig;
}

type Running = { url: string; clients: () => number | null; stop: () => Promise<unknown> };

async function startHub(config: ServerConfig): Promise<Running> {
  const handle = connect(config.databaseUrl, { applicationName: "tandem-bench-ws-memory" });
  const backend = composeBackend({
    handle,
    databaseUrl: config.databaseUrl,
    secret: config.secret,
    baseURL: "http://localhost:5468",
    webOrigins: [config.webOrigin],
    logger: createLogger({ service: "bench" }, "warn"),
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  return {
    url: `${running.url.replace(/^http/, "ws")}/ws`,
    clients: () => backend.hub.stats().clients,
    stop: async () => {
      await running.stop();
      await handle.close();
    },
  };
}

function startBare(config: ServerConfig): Running {
  const server = startBareServer(config.topic);
  return { url: `ws://127.0.0.1:${server.port}/`, clients: () => null, stop: () => server.stop(true) };
}

async function main(): Promise<void> {
  const config = parseConfig();
  const running = config.kind === "hub" ? await startHub(config) : startBare(config);
  report({ event: "listening", url: running.url });
  for await (const command of commands<ServerCommand>()) {
    if (command.cmd !== "rss") break;
    // Full, synchronous collection: garbage from connecting must not count as per-socket memory.
    // The pause lets the allocators' background scavengers hand freed pages back first.
    Bun.gc(true);
    await Bun.sleep(1_000);
    Bun.gc(true);
    report({ event: "rss", rss: process.memoryUsage().rss, clients: running.clients() });
  }
  await running.stop();
  process.exit(0);
}

await main();
