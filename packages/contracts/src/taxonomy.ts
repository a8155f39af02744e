import { z } from "zod";
import { ZSafeText } from "./text.ts";

/** Labels and categories share one shape: a named, coloured tag owned by an org. */
export const ZTag = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  color: z.string(),
  createdAt: z.string(),
});
export type TTag = z.infer<typeof ZTag>;

export const ZColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a hex colour like #aabbcc");
export const ZCreateTagInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(60),
  color: ZColor.default("#6b7280"),
});
export const ZUpdateTagInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(60).optional(),
  color: ZColor.optional(),
});
export type TCreateTagInput = z.infer<typeof ZCreateTagInput>;
export type TUpdateTagInput = z.infer<typeof ZUpdateTagInput>;
