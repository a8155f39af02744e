import { createHmac, timingSafeEqual } from "node:crypto";
import { type TNotificationKind, ZNotificationKind } from "@tandem/contracts";

/** What an unsubscribe link turns off: one kind's e-mails, or all notification e-mails. */
export type UnsubscribeScope = TNotificationKind | "all";

const sign = (secret: string, body: string) =>
  createHmac("sha256", secret).update(`unsubscribe:${body}`).digest("base64url");

/** A token naming its recipient and scope, signed: it works without a session, for that user only. */
export function unsubscribeToken(secret: string, userId: string, scope: UnsubscribeScope): string {
  const body = Buffer.from(`${userId}:${scope}`).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The recipient and scope of a token this server signed; null for anything else. */
export function readUnsubscribeToken(
  secret: string,
  token: string,
): { userId: string; scope: UnsubscribeScope } | null {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [userId, scope] = Buffer.from(body, "base64url").toString().split(":");
  if (!userId || !scope) return null;
  if (scope !== "all" && !ZNotificationKind.safeParse(scope).success) return null;
  return { userId, scope: scope as UnsubscribeScope };
}
