import { runMigrations } from "@tandem/database";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set: run the suite with `bun run test` from the repository root");
await runMigrations(url);
