import { schema } from "@tandem/database";
import { and, eq, sql } from "drizzle-orm";
import { ok, type TestBackend, type TestUser } from "./harness.ts";

/** Polls `check` until it returns a value (not undefined), failing after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

/** An org of `names.length` people: the first creates it, the others join by invite. */
export async function orgOf(backend: TestBackend, names: string[]) {
  const people: TestUser[] = [];
  for (const name of names) people.push(await backend.signUp(name));
  const [owner, ...others] = people;
  if (!owner) throw new Error("an org needs an owner");
  const prefix = `N${crypto
    .randomUUID()
    .slice(0, 3)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "X")}`;
  const org = await ok(
    owner.api.api.orgs.$post({ json: { name: "Notify", slug: `notify-${crypto.randomUUID().slice(0, 8)}`, prefix } }),
    201,
  );
  for (const person of others) {
    const invite = await ok(owner.api.api.orgs[":orgId"].invites.$post({ param: { orgId: org.id }, json: {} }), 201);
    await ok(person.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
  }
  return { org, people };
}

/** Resolves once the notifier has read the org's whole log (and holds no batch of it). */
export function notifierCaughtUp(backend: TestBackend, orgId: string) {
  return until("the notifier to catch up", async () => {
    const rows = await backend.db.execute<{ behind: boolean }>(sql`
      select coalesce(c.last_seq, 0) < o.last_event_seq as behind
        from org_counter o left join event_cursor c on c.org_id = o.org_id and c.consumer = 'notifier'
       where o.org_id = ${orgId}`);
    return rows[0]?.behind === false ? true : undefined;
  });
}

/** Every notification row of a user in an org (archived ones too), oldest first. */
export function rowsOf(backend: TestBackend, userId: string, orgId: string) {
  return backend.db
    .select()
    .from(schema.notification)
    .where(and(eq(schema.notification.userId, userId), eq(schema.notification.orgId, orgId)))
    .orderBy(schema.notification.createdAt);
}
