export * from "./api-keys.ts";
export * from "./auth.ts";
export * from "./events.ts";
export * from "./github.ts";
export * from "./imports.ts";
export * from "./orgs.ts";
export * from "./tasks.ts";
export * from "./webhooks.ts";
