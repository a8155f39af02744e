import { z } from "zod";
import { ZPermission } from "./permissions.ts";
import { ZSafeText } from "./text.ts";

/** Every key starts with this, so secret scanners and people can recognise one. */
export const API_KEY_PREFIX = "tdm_";

/** An API key as listed: never the key itself, only its first characters. */
export const ZApiKey = z.object({
  id: z.string(),
  name: z.string(),
  /** The key's first characters (`tdm_ab12cd`), to tell keys apart. */
  prefix: z.string(),
  permissions: z.array(ZPermission),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TApiKey = z.infer<typeof ZApiKey>;

/** The create response: the only time the key is ever shown. */
export const ZCreatedApiKey = z.object({ apiKey: ZApiKey, key: z.string() });
export type TCreatedApiKey = z.infer<typeof ZCreatedApiKey>;

export const ZCreateApiKeyInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(80),
  /** A subset of the creator's own permissions. */
  permissions: z.array(ZPermission).max(32),
  /** When the key stops working; null for never. */
  expiresAt: z.iso
    .datetime({ offset: true })
    .nullable()
    .default(null)
    .refine((value) => value === null || Date.parse(value) > Date.now(), { message: "Expiry must be in the future" }),
});
export type TCreateApiKeyInput = z.infer<typeof ZCreateApiKeyInput>;

/** Who acted, when an API key did: recorded on activity and events next to its creator. */
export const ZActorKey = z.object({ id: z.string(), name: z.string() });
