import { join } from "node:path";
import { spawnService } from "@tandem/util/spawn";

/** Starts `bun src/index.ts` with `env`; resolves with its URL once it logs "backend listening". */
export function spawnBackend(env: Record<string, string | undefined>) {
  return spawnService({
    command: ["bun", "src/index.ts"],
    cwd: join(import.meta.dir, ".."),
    env,
    ready: /"msg":"backend listening".*?"url":"(http:\/\/[^"]+)"/,
  });
}
