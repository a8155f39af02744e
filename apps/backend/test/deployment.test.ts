import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnService } from "@tandem/util/spawn";
import type { Subprocess } from "bun";

// No Docker engine runs here: the compose file and Dockerfiles are checked as data, and the
// start command each Dockerfile runs is executed directly, from the repository root.
const root = join(import.meta.dir, "../../..");
const compose = Bun.YAML.parse(readFileSync(join(root, "docker-compose.yml"), "utf8")) as {
  services: Record<
    string,
    {
      build?: { context: string; dockerfile: string };
      ports?: string[];
      environment?: Record<string, string>;
      env_file?: string;
      restart?: string;
      labels?: Record<string, string>;
      healthcheck?: { test: string[] };
      volumes?: string[];
    }
  >;
};
const envExample = new Set(
  readFileSync(join(root, ".env.example"), "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name)),
);
const APPS = { backend: 5468, worker: 5469, start: 3000, marketing: 3002 } as const;
const procs: Subprocess[] = [];
afterAll(() => {
  for (const proc of procs) proc.kill("SIGKILL");
});

function dockerfile(app: keyof typeof APPS) {
  const build = compose.services[app]?.build;
  if (!build) throw new Error(`${app} has no build`);
  const text = readFileSync(join(root, build.context, build.dockerfile), "utf8");
  const cmd = /^CMD (\[.*\])$/m.exec(text)?.[1];
  return { text, cmd: cmd ? (JSON.parse(cmd) as string[]) : null };
}

test("compose has every service, the right ports, and only variables .env.example documents", () => {
  expect(Object.keys(compose.services).sort()).toEqual([
    "autoheal",
    "backend",
    "marketing",
    "minio",
    "postgres",
    "start",
    "worker",
  ]);
  for (const [app, port] of Object.entries(APPS)) {
    expect(compose.services[app]?.ports).toContain(`${port}:${port}`);
  }
  const raw = readFileSync(join(root, "docker-compose.yml"), "utf8");
  const referenced = [...raw.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1] ?? "");
  for (const app of Object.keys(APPS)) referenced.push(...Object.keys(compose.services[app]?.environment ?? {}));
  expect(referenced.filter((name) => !envExample.has(name))).toEqual([]);
  expect(compose.services.backend?.env_file).toBe(".env");
});

test("every service restarts unless stopped; the backend and worker also restart when their liveness check fails", () => {
  for (const [name, service] of Object.entries(compose.services)) expect(service.restart, name).toBe("unless-stopped");
  for (const [app, port] of [
    ["backend", 5468],
    ["worker", 5469],
  ] as const) {
    const service = compose.services[app];
    // Liveness, not readiness: a database outage must not restart them (they answer 503 meanwhile).
    expect(service?.healthcheck?.test.join(" "), app).toContain(`http://127.0.0.1:${port}/health'`);
    expect(service?.labels?.autoheal, app).toBe("true");
  }
  expect(compose.services.autoheal?.volumes).toContain("/var/run/docker.sock:/var/run/docker.sock");
});

test("each app's Dockerfile is multi-stage on oven/bun, runs as a non-root user and has a start command", () => {
  for (const app of Object.keys(APPS) as (keyof typeof APPS)[]) {
    const { text, cmd } = dockerfile(app);
    const stages = text.match(/^FROM /gm) ?? [];
    expect(stages.length, app).toBeGreaterThanOrEqual(2);
    expect(text, app).toMatch(/^FROM oven\/bun:1\.4/m);
    expect(text, app).toMatch(/^USER (?!root)\S+/m);
    expect(cmd?.[0], app).toBe("bun");
    expect(existsSync(join(root, ...(cmd?.[1] ?? "").split("/").slice(0, 2))), app).toBe(true);
  }
});

test("the backend and worker start the way their Dockerfiles run them (migrations on start)", async () => {
  for (const [app, ready] of [
    ["backend", /"url":"(http:\/\/[^"]+)".*?"msg":"backend listening"/],
    ["worker", /"url":"(http:\/\/[^"]+)".*?"msg":"worker listening"/],
  ] as const) {
    const { cmd } = dockerfile(app);
    if (!cmd) throw new Error(`no CMD for ${app}`);
    const started = await spawnService({
      command: cmd,
      cwd: root,
      env: {
        PORT: "0",
        NODE_ENV: "production",
        BETTER_AUTH_SECRET: "x".repeat(40),
        GITHUB_WEBHOOK_SECRET: "deploy-test-secret",
        DATABASE_URL: process.env.DATABASE_URL,
        LOG_LEVEL: "info",
      },
      ready,
    });
    procs.push(started.proc);
    expect(started.url, started.output).not.toBeNull();
    const health = await fetch(`${started.url}/health`);
    expect(health.status).toBe(200);
    started.proc.kill("SIGTERM");
    expect(await started.proc.exited).toBe(0);
  }
}, 120_000);

test("the web app and the docs start the way their Dockerfiles run them, after their build", async () => {
  for (const [app, dir, build, ready, path] of [
    ["start", "apps/start", ["bun", "--bun", "vite", "build"], /Listening on:? (http:\/\/[^\s/]+)/, "/login"],
    ["marketing", "apps/marketing", ["bun", "run", "build"], /docs listening on (http:\/\/[^\s]+)/, "/"],
  ] as const) {
    const built = Bun.spawnSync([...build], { cwd: join(root, dir), env: { ...process.env, NODE_ENV: "production" } });
    expect(built.exitCode, `${app} build: ${built.stderr.toString().slice(-500)}`).toBe(0);
    const { cmd } = dockerfile(app);
    if (!cmd) throw new Error(`no CMD for ${app}`);
    const started = await spawnService({ command: cmd, cwd: root, env: { PORT: "0", NODE_ENV: "production" }, ready });
    procs.push(started.proc);
    expect(started.url, started.output).not.toBeNull();
    const page = await fetch(`${started.url}${path}`);
    expect(page.status, app).toBe(200);
    expect(page.headers.get("content-type") ?? "", app).toContain("text/html");
    started.proc.kill("SIGTERM");
    await started.proc.exited;
  }
}, 180_000);
