/** The memory subject: server RSS per idle subscribed socket, in fresh server processes. */
import { cleanups } from "./lifecycle.ts";
import { type Fixture, startSubscribers } from "./ws-backend.ts";
import {
  anomalies,
  BARE_TOPIC,
  int,
  kib,
  MEMORY_PROCESSES,
  MEMORY_WARMUP_SOCKETS,
  mib,
  RUNS,
  SECRET,
  SERVER_SCRIPT,
  type ServerChild,
  WEB_ORIGIN,
} from "./ws-config.ts";
import { Child, type ServerCommand, type ServerConfig, type ServerReport } from "./ws-protocol.ts";

type MemoryRun = { perSocket: number; before: number; after: number; sockets: number; clients: number | null };
export type MemoryPair = { name: string; hub: MemoryRun[]; limit: MemoryRun[] };

/** A fresh server process, warmed by a few sockets, then RSS before and after `sockets` idle subscribers. */
async function memoryRun(kind: "hub" | "bare", databaseUrl: string, fixture: Fixture, sockets: number) {
  const config: ServerConfig = { kind, databaseUrl, webOrigin: WEB_ORIGIN, secret: SECRET, topic: BARE_TOPIC };
  const server: ServerChild = Child.spawn<ServerReport, ServerCommand>(`${kind} server`, SERVER_SCRIPT, config);
  cleanups.push(() => server.stop({ cmd: "exit" }));
  const { url } = await server.next("listening", 30_000);
  const orgIds = kind === "hub" ? fixture.memoryOrgIds : null;
  // The first sockets load and compile the upgrade and subscribe paths: one-off, not per socket.
  const warm = await startSubscribers("warm-up", url, MEMORY_WARMUP_SOCKETS, orgIds, fixture.cookie);
  await warm.stop({ cmd: "exit" });
  await Bun.sleep(200);
  server.send({ cmd: "rss" });
  const before = await server.next("rss", 30_000);
  const share = Math.ceil(sockets / MEMORY_PROCESSES);
  const parts = await Promise.all(
    Array.from({ length: MEMORY_PROCESSES }, (_, p) =>
      startSubscribers(
        `${kind} subscribers ${p + 1}/${MEMORY_PROCESSES}`,
        url,
        Math.min(share, sockets - p * share),
        orgIds,
        fixture.cookie,
      ),
    ),
  );
  server.send({ cmd: "rss" });
  const after = await server.next("rss", 30_000);
  await Promise.all(parts.map((part) => part.stop({ cmd: "exit" })));
  await server.stop({ cmd: "exit" });
  if (after.clients !== null && after.clients !== sockets) {
    anomalies.push(`memory ${kind}: hub reports ${after.clients} clients, expected ${sockets}`);
  }
  const run: MemoryRun = {
    perSocket: (after.rss - before.rss) / sockets,
    before: before.rss,
    after: after.rss,
    sockets,
    clients: after.clients,
  };
  console.log(
    `  ${kind.padEnd(5)} ${kib(run.perSocket).padStart(10)}/socket  RSS ${mib(run.before)} -> ${mib(run.after)}` +
      `${run.clients === null ? "" : `  hub clients ${int.format(run.clients)}`}`,
  );
  return run;
}

export async function benchMemory(databaseUrl: string, fixture: Fixture, sockets: number): Promise<MemoryPair> {
  const pair: MemoryPair = { name: `memory, ${int.format(sockets)} idle subscribed sockets`, hub: [], limit: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    console.log(` run ${run}`);
    pair.hub.push(await memoryRun("hub", databaseUrl, fixture, sockets));
    pair.limit.push(await memoryRun("bare", databaseUrl, fixture, sockets));
  }
  return pair;
}

/** `ulimit -n` of this shell: each process holds one descriptor per socket. */
export async function fdLimit(): Promise<number> {
  const text = await new Response(Bun.spawn(["sh", "-c", "ulimit -n"], { stdout: "pipe" }).stdout).text();
  const limit = Number.parseInt(text.trim(), 10);
  return Number.isFinite(limit) ? limit : 1024;
}
