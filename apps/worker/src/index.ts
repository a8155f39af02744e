import { loadWorkerEnv } from "./env.ts";
import { startWorker } from "./server.ts";

const worker = await startWorker(loadWorkerEnv());

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await worker.stop();
    process.exit(0);
  });
}
