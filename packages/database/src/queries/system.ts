/**
 * Deliberate cross-tenant reads and writes. Every other query takes the caller's `orgId`;
 * these do not, because what the caller proved is not an org: a webhook's signature (the
 * link or installation it names), a public slug, an invite code, a session's user, or the
 * worker's own sweep over every org. Each says what makes it safe.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client.ts";
import {
  apiKey,
  githubInstallation,
  githubRepository,
  githubUser,
  invite,
  member,
  organization,
  orgCounter,
  outboundWebhook,
  session,
  user,
  webhookDelivery,
} from "../schema/index.ts";
import { type MemberOrg, memberPermissionsSql } from "./access.ts";
import { apiKeyColumns, type ListedApiKey } from "./api-keys.ts";
import type { OrgRow } from "./orgs.ts";
import type { WebhookRow } from "./webhooks.ts";

/** By a public slug: the public board and the demo seed name an org this way. */
export async function systemGetOrgBySlug(db: Executor, { slug }: { slug: string }): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organization).where(eq(organization.slug, slug));
  return row;
}

/** The org with its last event seq, in one read: what a public response is cached under. */
export async function systemGetOrgBySlugWithSeq(
  db: Executor,
  { slug }: { slug: string },
): Promise<{ org: OrgRow; seq: number } | undefined> {
  const [row] = await db
    .select({ org: organization, seq: orgCounter.lastEventSeq })
    .from(organization)
    .innerJoin(orgCounter, eq(orgCounter.orgId, organization.id))
    .where(eq(organization.slug, slug));
  return row;
}

/** The orgs a signed-in user belongs to, each with the permissions their teams grant there. */
export async function systemListOrgsForUser(db: Executor, { userId }: { userId: string }) {
  return db
    .select({
      org: organization,
      permissions: memberPermissionsSql(member.id),
    })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.orgId))
    .where(eq(member.userId, userId))
    .orderBy(organization.name);
}

/** A user (users belong to no org). */
export async function systemGetUser(db: Executor, { userId }: { userId: string }) {
  const [row] = await db.select().from(user).where(eq(user.id, userId));
  return row;
}

/** Invite codes are global secrets: the code is the proof, looked up across orgs. */
export async function systemGetInviteByCode(db: Executor, { code }: { code: string }) {
  const [row] = await db.select().from(invite).where(eq(invite.code, code));
  return row;
}

/** A repository link by id: the webhook URL names it, and its secret then verifies the delivery. */
export async function systemGetRepoLink(db: Executor, { id }: { id: string }) {
  const [row] = await db.select().from(githubRepository).where(eq(githubRepository.id, id));
  return row;
}

/** Which org claimed an installation (the worker routes signed App-mode deliveries by it). */
export async function systemInstallationOwner(db: Executor, { id }: { id: number }) {
  const [row] = await db.select().from(githubInstallation).where(eq(githubInstallation.id, id));
  return row;
}

const writableLink = and(eq(githubRepository.enabled, true), sql`${githubRepository.tokenEncrypted} is not null`);

/** Orgs whose linked repositories can be written to (a token is stored): the outbound sweep. */
export async function systemOrgsWithTokens(db: Executor): Promise<string[]> {
  const rows = await db.selectDistinct({ orgId: githubRepository.orgId }).from(githubRepository).where(writableLink);
  return rows.map((row) => row.orgId);
}

/** Links reconciliation may read, in every org: enabled, with a token checked against the repository. */
export async function systemReconcilableRepoLinks(db: Executor) {
  return db.select().from(githubRepository).where(writableLink);
}

/** Records a verified delivery once (false: GitHub sent this delivery id before). */
export async function systemInsertDelivery(
  db: Executor,
  values: { id: string; linkId: string; event: string; action: string | null; repository: string | null },
): Promise<boolean> {
  const rows = await db
    .insert(webhookDelivery)
    .values({ ...values, status: "queued" })
    .onConflictDoNothing({ target: webhookDelivery.id })
    .returning({ id: webhookDelivery.id });
  return rows.length > 0;
}

/** A delivery's status and the link it was verified for (the job names the delivery). */
export async function systemGetDelivery(db: Executor, { id }: { id: string }) {
  const [row] = await db
    .select({ status: webhookDelivery.status, linkId: webhookDelivery.linkId })
    .from(webhookDelivery)
    .where(eq(webhookDelivery.id, id));
  return row;
}

/** A delivery applied (or ignored, with why). */
export async function systemFinishDelivery(db: Executor, { id, reason }: { id: string; reason: string | undefined }) {
  await db
    .update(webhookDelivery)
    .set({
      status: reason ? "ignored" : "processed",
      processedAt: sql`now()`,
      error: reason ? reason.slice(0, 2000) : null,
      errorStep: reason ? "parse" : null,
    })
    .where(eq(webhookDelivery.id, id));
}

/** A failed attempt: its error and step are kept on a delivery still queued. */
export async function systemRecordDeliveryFailure(
  db: Executor,
  { id, message, step }: { id: string; message: string; step: string },
) {
  await db
    .update(webhookDelivery)
    .set({ error: message.slice(0, 2000), errorStep: step })
    .where(and(eq(webhookDelivery.id, id), eq(webhookDelivery.status, "queued")));
}

/** Out of retries: the delivery is dead, for the org's admins to see and redeliver. */
export async function systemMarkDeliveryDead(db: Executor, { id }: { id: string }) {
  await db
    .update(webhookDelivery)
    .set({ status: "dead", error: sql`coalesce(${webhookDelivery.error}, 'failed after all retries')` })
    .where(eq(webhookDelivery.id, id));
}

/**
 * Last seq of each org in `orgIds`: what the hub's poll compares its cursors with. Across orgs
 * by design: one poll for every org whose sockets this instance serves.
 */
export async function systemLastEventSeqs(db: Executor, { orgIds }: { orgIds: string[] }) {
  if (orgIds.length === 0) return [];
  return db
    .select({ orgId: orgCounter.orgId, last: orgCounter.lastEventSeq })
    .from(orgCounter)
    .where(inArray(orgCounter.orgId, orgIds));
}

export type SessionRow = typeof session.$inferSelect;
export type UserRow = typeof user.$inferSelect;
export type SessionRead = { session: SessionRow; user: UserRow; membership: MemberOrg | null };

/**
 * A session by its token, with its user and (given an org) the user's membership there and
 * the org's last seq: one prepared statement per request. Across orgs because the token is
 * the proof; the membership is the session user's own. Expiry is the caller's to check.
 */
export async function systemReadSession(
  db: Executor,
  { token, orgId }: { token: string; orgId: string | null },
): Promise<SessionRead | null> {
  const [row] = await db
    .select({
      session,
      user,
      org: organization,
      lastEventSeq: orgCounter.lastEventSeq,
      memberId: member.id,
      permissions: memberPermissionsSql(member.id),
    })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .leftJoin(member, and(eq(member.userId, session.userId), eq(member.orgId, orgId ?? "")))
    .leftJoin(organization, eq(organization.id, member.orgId))
    .leftJoin(orgCounter, eq(orgCounter.orgId, member.orgId))
    .where(eq(session.token, token))
    .prepare("system_read_session")
    .execute();
  if (!row) return null;
  const membership =
    row.org && row.memberId !== null && row.lastEventSeq !== null
      ? {
          org: row.org,
          lastEventSeq: row.lastEventSeq,
          access: { memberId: row.memberId, permissions: new Set(row.permissions) },
        }
      : null;
  return { session: row.session, user: row.user, membership };
}

/**
 * A Bearer key, by its hash: what the caller proved is the key, which names its own org. Null
 * when it is revoked or expired (by the database clock).
 */
export async function systemFindActiveApiKey(
  db: Executor,
  { keyHash }: { keyHash: string },
): Promise<ListedApiKey | null> {
  const [row] = await db
    .select(apiKeyColumns)
    .from(apiKey)
    .where(
      and(
        eq(apiKey.keyHash, keyHash),
        isNull(apiKey.revokedAt),
        sql`(${apiKey.expiresAt} is null or ${apiKey.expiresAt} > now())`,
      ),
    );
  return row ?? null;
}

/** Whether a key the hub admitted still works: not revoked or expired, its creator a member (re-checked on every subscribe). */
export async function systemIsApiKeyActive(db: Executor, { keyId }: { keyId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: apiKey.id })
    .from(apiKey)
    // Its creator must still be a member: a key never outlives its creator's membership.
    .innerJoin(member, and(eq(member.orgId, apiKey.orgId), eq(member.userId, apiKey.createdBy)))
    .where(
      and(
        eq(apiKey.id, keyId),
        isNull(apiKey.revokedAt),
        sql`(${apiKey.expiresAt} is null or ${apiKey.expiresAt} > now())`,
      ),
    );
  return row !== undefined;
}

/** Records a resolved key's use, at most once a minute (the condition makes racing writers no-ops). */
export async function systemTouchApiKey(db: Executor, { keyId }: { keyId: string }): Promise<void> {
  await db
    .update(apiKey)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKey.id, keyId),
        sql`(${apiKey.lastUsedAt} is null or ${apiKey.lastUsedAt} < now() - interval '1 minute')`,
      ),
    );
}

/**
 * The outbound webhook sender's claim (every org): up to `limit` enabled endpoints with events
 * past their cursor, not waiting for a retry, and not held by another sender. Each is held for
 * `leaseMs` (renewed as it advances), so one sender at a time keeps an endpoint's order.
 */
export async function systemClaimDueWebhooks(
  db: Executor,
  { limit, leaseMs }: { limit: number; leaseMs: number },
): Promise<(WebhookRow & { headSeq: number })[]> {
  const rows = await db.execute<{ id: string; head_seq: string | number }>(sql`
    update outbound_webhook w set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    from (
      select w2.id, c.last_event_seq as head_seq from outbound_webhook w2
      join org_counter c on c.org_id = w2.org_id
      where w2.enabled and c.last_event_seq > w2.last_seq
        and (w2.retry_at is null or w2.retry_at <= now())
        and (w2.lease_until is null or w2.lease_until < now())
      order by w2.retry_at nulls first
      limit ${limit}
      for update of w2 skip locked
    ) due
    where w.id = due.id
    returning w.id, due.head_seq`);
  if (rows.length === 0) return [];
  const heads = new Map(rows.map((row) => [row.id, Number(row.head_seq)]));
  const found = await db
    .select()
    .from(outboundWebhook)
    .where(inArray(outboundWebhook.id, [...heads.keys()]));
  return found.map((row) => ({ ...row, headSeq: heads.get(row.id) ?? row.lastSeq }));
}

/** Moves an endpoint's cursor forward (never back) and renews the sender's hold on it. */
export async function systemAdvanceWebhook(
  db: Executor,
  { webhookId, lastSeq, leaseMs }: { webhookId: string; lastSeq: number; leaseMs: number },
): Promise<void> {
  await db
    .update(outboundWebhook)
    .set({
      lastSeq: sql`greatest(${outboundWebhook.lastSeq}, ${lastSeq})`,
      retryAt: null,
      leaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
    })
    .where(eq(outboundWebhook.id, webhookId));
}

/** Lets go of an endpoint; with `retryAt`, nothing is sent to it before then. */
export async function systemReleaseWebhook(
  db: Executor,
  { webhookId, retryAt }: { webhookId: string; retryAt?: Date },
): Promise<void> {
  await db
    .update(outboundWebhook)
    .set(retryAt ? { leaseUntil: null, retryAt } : { leaseUntil: null })
    .where(eq(outboundWebhook.id, webhookId));
}

/**
 * The notifier's sweep over every org: those whose log has events its cursor has not reached
 * (a new org has no cursor yet and starts from its beginning).
 */
export async function systemOrgsBehindNotifier(db: Executor, { consumer }: { consumer: string }): Promise<string[]> {
  const rows = await db.execute<{ org_id: string }>(sql`
    select c.org_id from org_counter c
      left join event_cursor e on e.org_id = c.org_id and e.consumer = ${consumer}
     where c.last_event_seq > coalesce(e.last_seq, 0)`);
  return rows.map((row) => row.org_id);
}

/** Recipients whose oldest pending e-mail has waited the batching window, with their address. */
export async function systemUsersWithDueEmail(db: Executor, { windowMs }: { windowMs: number }) {
  const rows = await db.execute<{ user_id: string; email: string; name: string }>(sql`
    select n.user_id, u.email, u.name from notification n join "user" u on u.id = n.user_id
     where n.email_state = 'pending'
     group by n.user_id, u.email, u.name
    having min(n.created_at) <= now() - make_interval(secs => ${windowMs / 1000})`);
  return rows.map((row) => ({ userId: row.user_id, email: row.email, name: row.name }));
}

/** Remembers GitHub accounts a signed delivery showed (login by id; a renamed login moves): not an org's data. */
export async function systemRememberGithubUsers(db: Executor, users: { id: number; login: string }[]) {
  const byId = new Map(users.map((user) => [user.id, user.login]));
  if (!byId.size) return;
  await db
    .insert(githubUser)
    .values([...byId].map(([githubId, login]) => ({ githubId, login, updatedAt: new Date() })))
    .onConflictDoUpdate({
      target: githubUser.githubId,
      set: { login: sql`excluded.login`, updatedAt: sql`excluded.updated_at` },
      setWhere: sql`${githubUser.login} is distinct from excluded.login`,
    });
}
