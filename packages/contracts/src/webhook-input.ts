import { z } from "zod";
import { ZEventType } from "./events.ts";
import { ZSafeText } from "./text.ts";

const ZWebhookUrl = ZSafeText.trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }))
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || (url.username === "" && url.password === "");
  }, "must not carry credentials");

/** `["*"]`, or event-log types without repeats. */
const ZWebhookEvents = z
  .array(z.union([z.literal("*"), ZEventType]))
  .min(1)
  .max(64)
  .refine((events) => !events.includes("*") || events.length === 1, '"*" stands alone')
  .transform((events) => [...new Set(events)]);

export const ZCreateWebhookInput = z.strictObject({
  url: ZWebhookUrl,
  events: ZWebhookEvents,
  projectId: ZSafeText.min(1).max(64).nullable().default(null),
  enabled: z.boolean().default(true),
});
export type TCreateWebhookInput = z.infer<typeof ZCreateWebhookInput>;

export const ZUpdateWebhookInput = z
  .strictObject({
    url: ZWebhookUrl.optional(),
    events: ZWebhookEvents.optional(),
    projectId: ZSafeText.min(1).max(64).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, "nothing to change");
export type TUpdateWebhookInput = z.infer<typeof ZUpdateWebhookInput>;

export const ZRotateWebhookSecretInput = z.strictObject({
  /** How long the old secret keeps signing next to the new one (default a day, at most a week). */
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(24 * 3600),
});
export type TRotateWebhookSecretInput = z.infer<typeof ZRotateWebhookSecretInput>;

export const ZWebhookDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
