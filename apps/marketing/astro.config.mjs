import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";

export default defineConfig({
  // Development port (`bun run dev`); `bun run start` (serve.ts) listens on DOCS_PORT or PORT.
  server: { port: Number(process.env.DOCS_PORT || 3002), host: true },
  integrations: [
    starlight({
      title: "Tandem",
      description: "Real-time collaborative task boards: live kanban, public boards and two-way GitHub sync.",
      sidebar: [
        { label: "Start here", items: [{ autogenerate: { directory: "start" } }] },
        { label: "Guides", items: [{ autogenerate: { directory: "guides" } }] },
        { label: "Concepts", items: [{ autogenerate: { directory: "concepts" } }] },
        { label: "Reference", items: [{ autogenerate: { directory: "reference" } }] },
      ],
      customCss: ["./src/styles/custom.css"],
    }),
  ],
});
