import { z } from "zod";

/** What the sign-in screen may offer; public, from `GET /api/auth-config`. */
export const ZAuthConfig = z.object({
  emailPassword: z.boolean(),
  github: z.boolean(),
});
export type TAuthConfig = z.infer<typeof ZAuthConfig>;
