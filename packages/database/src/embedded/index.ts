import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { createCycleQueue } from "./cycle-queue.ts";
import { lockDataDir } from "./lock.ts";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };
type HandlerQueue = ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"];

/**
 * Starts PGlite persisted in `dataDir` behind a Postgres wire-protocol socket on loopback, so
 * postgres.js, drizzle-kit, Better Auth and pg-boss connect to it like to any server. The
 * socket handling is pglite-socket's; the scheduling is ours (see createCycleQueue).
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedDatabase> {
  const pgDir = join(options.dataDir, "pglite");
  mkdirSync(pgDir, { recursive: true });
  const release = lockDataDir(options.dataDir);
  try {
    const db = await PGlite.create(pgDir);
    // The library types its queue as a class with private members, which nothing else can
    // match; ours has exactly that class's public surface, so narrowing to it is sound.
    const queue = createCycleQueue(db) as HandlerQueue;
    const handlers = new Set<PGLiteSocketHandler>();
    const server: Server = createServer((socket) => {
      const handler = new PGLiteSocketHandler({ queryQueue: queue, closeOnDetach: true });
      handlers.add(handler);
      handler.addEventListener("close", () => handlers.delete(handler));
      handler.addEventListener("error", () => handlers.delete(handler));
      handler.attach(socket).catch(() => socket.destroy());
    });
    server.maxConnections = options.maxConnections ?? 64;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== "object") throw new Error("embedded database has no address");
    const url = `postgres://postgres:postgres@127.0.0.1:${address.port}/postgres?sslmode=disable&embedded=1`;
    return {
      url,
      stop: async () => {
        for (const handler of handlers) await handler.detach(true);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
