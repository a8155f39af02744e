import { installDriverCrashGuard } from "@tandem/database";
import { createLogger } from "@tandem/util/server";
import { loadWorkerEnv } from "./env.ts";
import { startWorker } from "./server.ts";

const env = loadWorkerEnv();
// A database outage must not end the process (see crash-guard.ts); anything else still does.
installDriverCrashGuard(createLogger({ service: "worker" }, env.LOG_LEVEL));
const worker = await startWorker(env);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await worker.stop();
    process.exit(0);
  });
}
