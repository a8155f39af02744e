/**
 * Runs before `astro dev` and `astro build`: copies the light screenshots the browser tests
 * take (docs/screenshots/*-light.png at the repo root, refreshed by `bun run screenshots`)
 * into public/screenshots, so the landing page shows the current UI.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));
const target = fileURLToPath(new URL("../public/screenshots/", import.meta.url));

export const SCREENSHOTS = ["board", "task-dialog", "public-board", "team-editor"] as const;

export function copyScreenshots(from = source, to = target): string[] {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const copied: string[] = [];
  for (const name of SCREENSHOTS) {
    const file = `${name}-light.png`;
    if (!existsSync(join(from, file))) throw new Error(`missing screenshot ${join(from, file)}`);
    copyFileSync(join(from, file), join(to, file));
    copied.push(file);
  }
  // Any further light screenshot is copied too, for pages that want it.
  for (const file of readdirSync(from)) {
    if (file.endsWith("-light.png") && !copied.includes(file)) {
      copyFileSync(join(from, file), join(to, file));
      copied.push(file);
    }
  }
  return copied;
}

if (import.meta.main) {
  const copied = copyScreenshots();
  console.log(`screenshots: copied ${copied.length} into public/screenshots`);
}
