import { z } from "zod";
import { ZPermission } from "./permissions.ts";
import { ZSafeText } from "./text.ts";

export const ZTeam = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  permissions: z.array(ZPermission),
  memberIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TTeam = z.infer<typeof ZTeam>;

export const ZCreateTeamInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(80),
  permissions: z.array(ZPermission).max(32).default([]),
});
export const ZUpdateTeamInput = z.strictObject({
  name: ZSafeText.trim().min(1).max(80).optional(),
  permissions: z.array(ZPermission).max(32).optional(),
});
export type TCreateTeamInput = z.infer<typeof ZCreateTeamInput>;
export type TUpdateTeamInput = z.infer<typeof ZUpdateTeamInput>;

export const ZMember = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  image: z.string().nullable(),
  teamIds: z.array(z.string()),
  joinedAt: z.string(),
});
export type TMember = z.infer<typeof ZMember>;

export const ZCreateInviteInput = z.strictObject({
  email: z.email().max(254).optional(),
  /** Teams the invitee joins on accepting; only teams whose permissions the inviter holds. */
  teamIds: z.array(z.string().min(1).max(64)).max(20).optional(),
  /** One team: shorthand for `teamIds: [teamId]`. */
  teamId: z.string().min(1).max(64).optional(),
  expiresInDays: z.number().int().min(1).max(90).default(7),
});
export type TCreateInviteInput = z.infer<typeof ZCreateInviteInput>;

export const ZInvite = z.object({
  id: z.string(),
  orgId: z.string(),
  code: z.string(),
  email: z.string().nullable(),
  teamIds: z.array(z.string()),
  status: z.enum(["pending", "accepted", "revoked"]),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export type TInvite = z.infer<typeof ZInvite>;
