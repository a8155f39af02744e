import { loadEnv } from "./env.ts";
import { startBackend } from "./server.ts";

const backend = await startBackend(loadEnv());

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await backend.stop();
    process.exit(0);
  });
}
