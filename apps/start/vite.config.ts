import tailwindcss from "@tailwindcss/vite";
import { tanstackStart } from "@tanstack/react-start/plugin/vite";
import viteReact from "@vitejs/plugin-react";
import { nitro } from "nitro/vite";
import { defineConfig } from "vite";

export default defineConfig({
  // Development port (`bun run dev`); the built server listens on PORT.
  server: { port: Number(process.env.WEB_PORT || 3000), strictPort: true },
  plugins: [
    tailwindcss(),
    tanstackStart(),
    // Pre-compressed .br/.gz next to every asset; the server picks one by Accept-Encoding.
    nitro({ compressPublicAssets: { gzip: true, brotli: true } }),
    viteReact(),
  ],
});
