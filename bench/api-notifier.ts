/**
 * The notifier's cost to mutations (SPEC §14), for `bench:api`: task creates that each notify
 * an assignee, against a backend without a notifier and against one running it (woken by every
 * local commit, writing the assignee's notification). Also how long the notifier takes to catch
 * up once the load stops, and that it wrote one notification per create.
 */
import type { composeBackend } from "@tandem/backend/compose";
import type { DbHandle } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { signUpBenchUser } from "./lifecycle.ts";
import type { Measurement } from "./stats.ts";

type Backend = { url: string; handle: DbHandle; auth: ReturnType<typeof composeBackend>["auth"] };
type Pair = { name: string; unit: string; api: Measurement[]; limit: Measurement[] };

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A member for the creates to assign (every create notifies them). */
async function addAssignee(handle: DbHandle, orgId: string, userId: string): Promise<void> {
  await addTestMember(handle.db, { orgId, userId, permissions: [] });
}

/** Waits until the notifier's cursor reaches the org's last seq; the wait in ms. */
async function catchUpMs(handle: DbHandle, orgId: string, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [row] = await handle.sql<{ behind: number }[]>`
      select (o.last_event_seq - coalesce(c.last_seq, 0))::int as behind
        from org_counter o left join event_cursor c on c.org_id = o.org_id and c.consumer = 'notifier'
       where o.org_id = ${orgId}`;
    if ((row?.behind ?? 0) === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`notifier still ${row?.behind} events behind`);
    await Bun.sleep(20);
  }
}

async function countNotifications(handle: DbHandle, orgId: string): Promise<number> {
  const [row] = await handle.sql<{ n: number }[]>`select count(*)::int as n from notification where org_id = ${orgId}`;
  return row?.n ?? 0;
}

/**
 * Creates against a backend without a notifier (the baseline) and one running it, alternating;
 * then the notifier's catch-up time. `assign`: each create assigns a second member, so each
 * writes a notification (the worst case); otherwise bench:api's own create, which notifies no
 * one (the creator is the actor) but still gives the notifier its watchers and task state to
 * keep. `api` holds the runs with the notifier, `limit` those without.
 */
export async function benchNotifier(args: {
  owner: Backend;
  orgId: string;
  cookie: string;
  runs: number;
  assign: boolean;
  /** A backend running the notifier, on the owner's database. */
  notifying: Backend;
  /** One create through the notifying backend: its commit wakes the notifier (it has no timer). */
  wake: (url: string, body: string) => Promise<void>;
  load: (url: string, body: string) => Promise<Measurement>;
  report: (label: string, m: Measurement) => Measurement;
}): Promise<Pair> {
  const { owner, orgId, report } = args;
  const { userId: assignee } = await signUpBenchUser(owner.auth, `bench-assignee-${Date.now()}@example.test`);
  await addAssignee(owner.handle, orgId, assignee);
  const tasksUrl = (backend: Backend) => `${backend.url}/api/orgs/${orgId}/tasks`;
  const body = JSON.stringify(args.assign ? { title: "bench task", assigneeIds: [assignee] } : { title: "bench task" });
  const pair: Pair = {
    name: `task create${args.assign ? " with an assignee" : ""} (32 in flight): notifier on vs off`,
    unit: "mut/s",
    api: [],
    limit: [],
  };
  const { notifying } = args;
  const catchUp = async () => {
    await args.wake(tasksUrl(notifying), body);
    return catchUpMs(owner.handle, orgId);
  };
  const before = await catchUp();
  const notifiedBefore = await countNotifications(owner.handle, orgId);
  console.log(`  notifier caught up with the seed's ${int.format(notifiedBefore)} notifications in ${ms(before)}`);
  // Alternating, each run starting with the notifier caught up: a baseline run never pays
  // for the previous run's notifications, and machine noise lands on both sides alike.
  let lag = 0;
  for (let run = 1; run <= args.runs; run += 1) {
    pair.limit.push(report(`  run ${run} off`, await args.load(tasksUrl(owner), body)));
    // The off run's events are notified now, between the runs, not during either.
    await catchUp();
    pair.api.push(report(`  run ${run} on `, await args.load(tasksUrl(notifying), body)));
    lag = Math.max(lag, await catchUpMs(owner.handle, orgId));
  }
  const created = pair.api.reduce((sum, m) => sum + m.requests, 0);
  const notified = (await countNotifications(owner.handle, orgId)) - notifiedBefore;
  console.log(
    `  after each run with it on, the notifier caught up within ${ms(lag)}; ${int.format(notified)} notifications for ` +
      `at least ${int.format(created)} measured creates (warm-up creates notify too)`,
  );
  return pair;
}
