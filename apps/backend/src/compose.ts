import { createAuth } from "@tandem/auth";
import { type Database, ping } from "@tandem/database";
import type { Logger } from "@tandem/util";
import { createApp } from "./app.ts";

export type BackendOptions = {
  db: Database;
  secret: string;
  baseURL: string;
  webOrigins: string[];
  logger: Logger;
  github?: { clientId: string; clientSecret: string } | undefined;
  maxBodyBytes?: number;
  snapshotCacheBytes?: number;
  trustProxy?: boolean;
};

/** Wires auth and the HTTP app on a database; shared by the server, the tests and the benchmarks. */
export function composeBackend(options: BackendOptions) {
  const auth = createAuth({
    db: options.db,
    secret: options.secret,
    baseURL: options.baseURL,
    trustedOrigins: options.webOrigins,
    github: options.github,
    secureCookies: options.baseURL.startsWith("https://"),
  });
  const app = createApp({
    db: options.db,
    auth,
    logger: options.logger,
    webOrigins: options.webOrigins,
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    snapshotCacheBytes: options.snapshotCacheBytes,
    trustProxy: options.trustProxy,
    readiness: async () => ({ database: (await ping(options.db)) ? "ok" : "fail" }),
  });
  return { app, auth };
}
