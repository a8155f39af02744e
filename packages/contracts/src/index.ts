export * from "./errors.ts";
export * from "./events.ts";
export * from "./org.ts";
export * from "./permissions.ts";
export * from "./realtime.ts";
export * from "./task.ts";
export * from "./taxonomy.ts";
export * from "./team.ts";
