import { createServerFn } from "@tanstack/react-start";

/** Runtime configuration the browser needs, read from the server's environment per request. */
export const getPublicConfig = createServerFn({ method: "GET" }).handler(async () => ({
  apiUrl: (process.env.API_URL || `http://localhost:${process.env.BACKEND_PORT || 5468}`).replace(/\/$/, ""),
}));

export type PublicConfig = Awaited<ReturnType<typeof getPublicConfig>>;
