import { installDriverCrashGuard } from "@tandem/database";
import { createLogger } from "@tandem/util/server";
import { loadEnv } from "./env.ts";
import { startBackend } from "./server.ts";

const env = loadEnv();
// A database outage must not end the process (see crash-guard.ts); anything else still does.
installDriverCrashGuard(createLogger({ service: "backend" }, env.LOG_LEVEL));
const backend = await startBackend(env);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await backend.stop();
    process.exit(0);
  });
}
