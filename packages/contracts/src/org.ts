import { z } from "zod";
import { ZPermission } from "./permissions.ts";
import { ZSafeText } from "./text.ts";

export const PUBLIC_TASK_FIELDS = [
  "description",
  "status",
  "priority",
  "category",
  "labels",
  "assignees",
  "parent",
  /** `startDate` and `dueDate`. */
  "dates",
  "estimate",
] as const;
export const ZPublicTaskField = z.enum(PUBLIC_TASK_FIELDS);

const ZSlug = z
  .string()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and dashes");
const ZPrefix = z
  .string()
  .min(1)
  .max(10)
  .regex(/^[A-Z][A-Z0-9]*$/, "uppercase letters and digits, starting with a letter");
const ZName = ZSafeText.trim().min(1).max(120);

export const ZOrg = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  prefix: z.string(),
  publicBoard: z.boolean(),
  publicFields: z.array(ZPublicTaskField),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TOrg = z.infer<typeof ZOrg>;

export const ZOrgWithPermissions = ZOrg.extend({ permissions: z.array(ZPermission) });

export const ZCreateOrgInput = z.strictObject({ name: ZName, slug: ZSlug, prefix: ZPrefix });
export type TCreateOrgInput = z.infer<typeof ZCreateOrgInput>;

export const ZUpdateOrgInput = z.strictObject({
  name: ZName.optional(),
  slug: ZSlug.optional(),
  prefix: ZPrefix.optional(),
  publicBoard: z.boolean().optional(),
  publicFields: z.array(ZPublicTaskField).max(PUBLIC_TASK_FIELDS.length).optional(),
});
export type TUpdateOrgInput = z.infer<typeof ZUpdateOrgInput>;

export const ZPublicOrg = ZOrg.pick({ id: true, name: true, slug: true, prefix: true, publicFields: true });
export type TPublicOrg = z.infer<typeof ZPublicOrg>;

export const ZUserSummary = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  image: z.string().nullable(),
});

export const ZMe = z.object({
  user: ZUserSummary,
  orgs: z.array(ZOrgWithPermissions),
});
export type TMe = z.infer<typeof ZMe>;

export const ZRepoLink = z.object({
  id: z.string(),
  orgId: z.string(),
  fullName: z.string(),
  categoryId: z.string().nullable(),
  /** The project its issues land in (null: links made before projects, which use the org's first). */
  projectId: z.string().nullable(),
  enabled: z.boolean(),
  /** Whether a token is stored; the token itself never leaves the server. */
  hasToken: z.boolean(),
  /** Whether the link has its own webhook secret (links made before secrets existed need a rotate). */
  hasWebhookSecret: z.boolean(),
  /** Where GitHub sends this link's deliveries: the webhook's Payload URL. */
  deliveryUrl: z.string(),
  lastSyncedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TRepoLink = z.infer<typeof ZRepoLink>;

/** A link as answered when it is made or its secret rotated: the only time the secret is shown. */
export const ZRepoLinkWithSecret = ZRepoLink.extend({ webhookSecret: z.string() });
export type TRepoLinkWithSecret = z.infer<typeof ZRepoLinkWithSecret>;

export const ZGithubInstallation = z.object({ id: z.number(), account: z.string(), createdAt: z.string() });
export type TGithubInstallation = z.infer<typeof ZGithubInstallation>;

export const ZClaimInstallationInput = z.strictObject({
  installationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const ZLinkRepoInput = z.strictObject({
  fullName: z
    .string()
    .max(140)
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "owner/name"),
  categoryId: z.string().max(64).nullable().optional(),
  /** The project its issues land in, by id or key; default the org's first project. */
  projectId: z.string().min(1).max(64).optional(),
  token: z.string().min(1).max(500).optional(),
});
export type TLinkRepoInput = z.infer<typeof ZLinkRepoInput>;

export const ZUpdateRepoLinkInput = z
  .strictObject({
    /** By id or key. Issues already synced stay where they are. */
    projectId: z.string().min(1).max(64).optional(),
    categoryId: z.string().max(64).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "the patch changes nothing");
export type TUpdateRepoLinkInput = z.infer<typeof ZUpdateRepoLinkInput>;

export const DELIVERY_STATUSES = ["queued", "processed", "ignored", "failed", "dead"] as const;

/** A GitHub webhook delivery verified for one of the org's links, and what became of it. */
export const ZDelivery = z.object({
  id: z.string(),
  event: z.string(),
  action: z.string().nullable(),
  repository: z.string().nullable(),
  status: z.string(),
  /** The last error (or why it was ignored), and the step it happened in (parse, issue, comment…). */
  error: z.string().nullable(),
  errorStep: z.string().nullable(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
});
export type TDelivery = z.infer<typeof ZDelivery>;

/** Answer to a resync request: the reconciliation is queued for the worker. */
export const ZResyncQueued = z.object({ status: z.literal("queued"), repoId: z.string() });
export type TResyncQueued = z.infer<typeof ZResyncQueued>;

/** What a delete answers when nothing of the deleted thing is left to show. */
export const ZDeleted = z.object({ id: z.string() });
export const ZRemovedMember = z.object({ userId: z.string() });
