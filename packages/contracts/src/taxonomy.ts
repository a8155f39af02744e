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

/** A label's or category's name and colour, as the API takes them (imports hold files to the same). */
export const TAG_NAME_MAX = 60;
export const TAG_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
export const ZColor = z.string().regex(TAG_COLOR_PATTERN, "a hex colour like #aabbcc");
export const ZCreateTagInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(TAG_NAME_MAX),
  color: ZColor.default("#6b7280"),
});
export const ZUpdateTagInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(TAG_NAME_MAX).optional(),
  color: ZColor.optional(),
});
export type TCreateTagInput = z.infer<typeof ZCreateTagInput>;
export type TUpdateTagInput = z.infer<typeof ZUpdateTagInput>;
