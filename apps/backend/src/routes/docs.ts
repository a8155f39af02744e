import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

// The reference page's script comes from the installed package, not a CDN: the docs work
// offline and behind firewalls, and the version is the one in bun.lock.
const packageDir = join(dirname(fileURLToPath(import.meta.resolve("@scalar/api-reference"))), "..");
const version = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
let bundle: { plain: Uint8Array; gzip: Uint8Array } | null = null;

function loadBundle() {
  if (!bundle) {
    const plain = readFileSync(join(packageDir, "dist/browser/standalone.js"));
    bundle = { plain, gzip: Bun.gzipSync(plain) };
  }
  return bundle;
}

export const docsRoutes = new Hono<AppEnv>()
  .get(
    "/",
    Scalar({
      url: "/api/openapi.json",
      pageTitle: "Tandem API reference",
      cdn: `/api/docs/scalar.js?v=${version}`,
      // Nothing from third-party hosts: no web fonts, no telemetry, no AI agent.
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
    }),
  )
  .get("/scalar.js", (c) => {
    const { plain, gzip } = loadBundle();
    const gzipped = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=86400");
    c.header("vary", "accept-encoding");
    if (gzipped) c.header("content-encoding", "gzip");
    return c.body(new Uint8Array(gzipped ? gzip : plain));
  });
