import { expect, test } from "bun:test";

/** Runs a script that logs, in its own process, so the real stdout and stderr are captured. */
async function run(script: string) {
  const proc = Bun.spawn(["bun", "-e", `import { createLogger } from "@tandem/util/server";\n${script}`], {
    cwd: import.meta.dir,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  const lines = (text: string) =>
    text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { out: lines(stdout), err: lines(stderr) };
}

test("one JSON object per line: level name, ISO time, message, bindings and fields", async () => {
  const { out } = await run(`createLogger({ service: "svc" }).info("hello", { requestId: "r1", ms: 2 });`);
  expect(out).toHaveLength(1);
  const [line] = out;
  expect(line).toMatchObject({ level: "info", msg: "hello", service: "svc", requestId: "r1", ms: 2 });
  expect(Number.isNaN(Date.parse(String(line?.ts)))).toBe(false);
  // pino's own defaults (numeric level, pid, hostname, time) are not part of the format.
  expect(Object.keys(line ?? {}).sort()).toEqual(["level", "ms", "msg", "requestId", "service", "ts"]);
});

test("debug and info go to stdout, warn and error to stderr only, below the minimum nothing", async () => {
  const { out, err } = await run(`
    const log = createLogger({}, "info");
    log.debug("d"); log.info("i"); log.warn("w"); log.error("e");`);
  expect(out.map((line) => line.msg)).toEqual(["i"]);
  expect(err.map((line) => [line.level, line.msg])).toEqual([
    ["warn", "w"],
    ["error", "e"],
  ]);
});

test("a child keeps its parent's bindings and level and adds its own", async () => {
  const { out } = await run(`
    const child = createLogger({ service: "svc" }, "debug").child({ orgId: "o1" });
    child.debug("from child", { n: 1 });`);
  expect(out).toEqual([
    expect.objectContaining({ level: "debug", msg: "from child", service: "svc", orgId: "o1", n: 1 }),
  ]);
});
