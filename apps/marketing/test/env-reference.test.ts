/**
 * Every environment variable an app reads must be in .env.example and on the configuration
 * page. The variables come from the apps themselves: the keys of the zod schemas exported by
 * each `apps/<app>/src/env.ts`, the `process.env.X` reads of apps/start (which has no schema)
 * and this site's own PORT.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  describeField,
  envExampleComments,
  envExampleNames,
  envReference,
  schemaShape,
  unreadExampleVars,
} from "../src/lib/env-reference.ts";
import { buildSite, DIST } from "./site.ts";

const ROOT = join(import.meta.dir, "../../..");
const ENV_EXAMPLE = readFileSync(join(import.meta.dir, "../../../.env.example"), "utf8");
const APPS = join(ROOT, "apps");
const ENV_READ = /process\.env\.([A-Z][A-Z0-9_]*)/g;

/** app → variables it reads, straight from the code. */
async function variablesReadByApps(): Promise<Map<string, Set<string>>> {
  const read = new Map<string, Set<string>>();
  const add = (app: string, name: string) => {
    if (!read.has(app)) read.set(app, new Set());
    read.get(app)?.add(name);
  };
  for (const app of readdirSync(APPS)) {
    const file = join(APPS, app, "src", "env.ts");
    if (!existsSync(file)) continue;
    const module = (await import(file)) as Record<string, unknown>;
    const schemas = Object.entries(module).filter(([name]) => /^Z\w*Env$/.test(name));
    expect(schemas.length, `${file} exports no Z…Env schema`).toBeGreaterThan(0);
    for (const [, schema] of schemas) for (const name of Object.keys(schemaShape(schema))) add(app, name);
  }
  // apps/start has no env schema: API_URL and PORT (the built server's), plus any process.env
  // read in its source.
  add("start", "API_URL");
  add("start", "PORT");
  const startFiles = [join(APPS, "start", "vite.config.ts"), ...sourceFiles(join(APPS, "start", "src"))];
  for (const file of startFiles) {
    for (const match of readFileSync(file, "utf8").matchAll(ENV_READ)) {
      add("start", match[1] ?? "");
    }
  }
  for (const match of readFileSync(join(APPS, "marketing", "astro.config.mjs"), "utf8").matchAll(ENV_READ)) {
    add("marketing", match[1] ?? "");
  }
  for (const match of readFileSync(join(APPS, "marketing", "serve.ts"), "utf8").matchAll(ENV_READ)) {
    add("marketing", match[1] ?? "");
  }
  return read;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".gen.ts") ? [path] : [];
  });
}

let read: Map<string, Set<string>>;
let configurationHtml: string;

beforeAll(async () => {
  read = await variablesReadByApps();
  const build = await buildSite();
  if (!build.ok) throw new Error(`astro build failed:\n${build.output}`);
  configurationHtml = readFileSync(join(DIST, "reference/configuration/index.html"), "utf8");
}, 120_000);

describe("environment variables", () => {
  test("the backend and worker schemas are found", () => {
    expect(read.get("backend")?.has("DATABASE_URL")).toBe(true);
    expect(read.get("worker")?.has("GITHUB_WEBHOOK_SECRET")).toBe(true);
  });

  test("every variable an app reads is in .env.example", () => {
    const listed = new Set(envExampleNames(ENV_EXAMPLE));
    const missing = [...read].flatMap(([app, names]) =>
      [...names].filter((name) => !listed.has(name)).map((name) => `${app}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  test("every variable an app reads is on the configuration page, in that app's table", () => {
    const missing = [...read].flatMap(([app, names]) =>
      [...names]
        .filter((name) => !configurationHtml.includes(`id="${app}-${name.toLowerCase()}"`))
        .map((name) => `${app}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  test("every variable in .env.example is on the configuration page", () => {
    const missing = envExampleNames(ENV_EXAMPLE).filter(
      (name) => !new RegExp(`<code[^>]*>${name}</code>`).test(configurationHtml),
    );
    expect(missing).toEqual([]);
  });

  test("the page shows the schemas' defaults", () => {
    const row = (id: string) => configurationHtml.match(new RegExp(`<tr id="${id}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
    expect(row("backend-backend_port")).toContain("<code>5468</code>");
    expect(row("backend-web_port")).toContain("<code>3000</code>");
    expect(row("worker-worker_port")).toContain("<code>5469</code>");
    expect(row("start-web_port")).toContain("<code>3000</code>");
    expect(row("start-port")).toContain("<code>3000</code>");
    expect(row("marketing-docs_port")).toContain("<code>3002</code>");
    expect(row("worker-database_url")).toContain("<dt>required</dt><dd><strong>yes</strong></dd>");
    expect(row("backend-database_url")).toContain("<dt>required</dt><dd>no</dd>");
  });
});

describe("env-reference helpers", () => {
  test("reads defaults, optionality and accepted values through pipes", () => {
    const reference = envReference(ENV_EXAMPLE);
    const find = (app: string, name: string) =>
      reference.find((section) => section.app === app)?.vars.find((v) => v.name === name);
    expect(find("backend", "BACKEND_PORT")).toMatchObject({ defaultValue: null, required: false, accepts: "number" });
    expect(find("backend", "PORT")).toMatchObject({ defaultValue: null, required: false, accepts: "number" });
    expect(find("backend", "DATABASE_URL")).toMatchObject({ defaultValue: null, required: false, accepts: "URL" });
    expect(find("backend", "TRUST_PROXY")).toMatchObject({ defaultValue: "false", accepts: "true | false | 0 | 1" });
    expect(find("backend", "AUTH_CREDENTIAL_LIMIT")).toMatchObject({ defaultValue: "900:100", required: false });
    expect(find("backend", "AUTH_ACCOUNT_LIMIT")).toMatchObject({ defaultValue: "900:5", required: false });
    expect(find("worker", "DATABASE_URL")).toMatchObject({ required: true });
    expect(find("worker", "JOB_RETRY_BACKOFF")).toMatchObject({ defaultValue: "true", accepts: "true | false" });
  });

  test("describeField unwraps default → optional → pipe", () => {
    const field = {
      def: {
        type: "default",
        defaultValue: 7,
        innerType: { def: { type: "pipe", in: { def: { type: "string", format: "url" } } } },
      },
    };
    expect(describeField(field)).toEqual({ accepts: "URL", defaultValue: "7", required: false });
  });

  test("parses .env.example comments, one block per group of variables", () => {
    const comments = envExampleComments("# --- x ---\n# First.\nA=1\nB=2\n# Second,\n# two lines.\nC=\n\nD=4\n");
    expect(comments.get("A")).toBe("First.");
    expect(comments.get("B")).toBe("First.");
    expect(comments.get("C")).toBe("Second, two lines.");
    expect(comments.has("D")).toBe(false);
    expect(envExampleNames("A=1\n# B=2\n C=3")).toEqual(["A", "C"]);
  });

  test("flags .env.example variables no app reads", () => {
    expect(unreadExampleVars(`${ENV_EXAMPLE}\n# reserved\nNOT_READ_BY_ANYONE=1\n`)).toContain("NOT_READ_BY_ANYONE");
  });
});
