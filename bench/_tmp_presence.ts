import { composeBackend } from "@tandem/backend/compose";
import { connect, runMigrations } from "@tandem/database";
import { createTestOrg } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util";
import { Child, type SubscriberCommand, type SubscriberReport } from "./ws-protocol.ts";

const name = `tandem_bench_tmp_${Date.now()}`;
const admin = connect("postgres://postgres@127.0.0.1:5432/postgres", { max: 1 });
await admin.sql.unsafe(`create database ${name}`);
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
try {
  await runMigrations(url);
  const handle = connect(url);
  const backend = composeBackend({
    handle,
    databaseUrl: url,
    secret: "bench-secret-bench-secret-bench-secret-01",
    baseURL: "http://localhost:5468",
    webOrigins: ["http://localhost:3000"],
    logger: createLogger({ service: "bench" }, "warn"),
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1_048_576 });
  const { headers, response } = await backend.auth.api.signUpEmail({
    body: { email: "a@example.test", password: "correct-horse-battery", name: "Bench" },
    returnHeaders: true,
  });
  const cookie = (headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  for (const n of (process.argv[2] ?? "500,1000,2000").split(",").map(Number)) {
    const org = await createTestOrg(handle.db, { ownerId: response.user.id });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const child = Child.spawn<SubscriberReport, SubscriberCommand>(
      "s",
      new URL("./ws-subscribers.ts", import.meta.url).pathname,
      {
        url: `${running.url.replace("http", "ws")}/ws`,
        headers: { origin: "http://localhost:3000", cookie },
        sockets: n,
        orgIds: [org.id],
        connectConcurrency: 64,
      },
    );
    const ready = await child.next("ready", 600_000);
    const cpu = process.cpuUsage(cpu0);
    console.log(
      n,
      JSON.stringify(ready),
      "until quiet",
      Math.round(performance.now() - t0),
      "ms; server cpu s",
      ((cpu.user + cpu.system) / 1e6).toFixed(1),
      "rss MiB",
      (process.memoryUsage().rss / 1048576).toFixed(0),
    );
    await child.stop({ cmd: "exit" });
  }
  await running.stop();
  await handle.close();
} finally {
  await admin.sql.unsafe(`drop database if exists ${name} with (force)`);
  await admin.close();
}
