import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getOrg, insertRepoLink, schema } from "@tandem/database";
import {
  type CommitChange,
  type CommitNotifier,
  createLabel,
  createOrg,
  deleteOrg,
  partialServices,
  syncLabel,
  type TxCtx,
  withTransaction,
} from "@tandem/domain";
import { systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { newId } from "@tandem/util";
import { and, eq } from "drizzle-orm";
import { startTestBackend, type TestBackend } from "./harness.ts";

let backend: TestBackend;
let ownerId: string;
beforeAll(async () => {
  backend = await startTestBackend();
  ownerId = (await backend.signUp("Owner")).id;
});
afterAll(() => backend.stop());

const GITHUB = { type: "github" as const, userId: null };

/** A notifier that records what it was told, in order. */
function recorder() {
  const told: [string, CommitChange][] = [];
  const notify: CommitNotifier = (orgId, change) => told.push([orgId, change]);
  return { told, notify };
}

async function newOrg(notify: CommitNotifier = () => {}) {
  const suffix = uniqueSuffix();
  return createOrg({
    ctx: { db: backend.db, notify, services: partialServices(), userId: ownerId },
    input: { name: `Commit ${suffix}`, slug: `commit-${suffix}`, prefix: "CMT" },
  });
}

async function labelNames(orgId: string): Promise<string[]> {
  const rows = await backend.db.select().from(schema.label).where(eq(schema.label.orgId, orgId));
  return rows.map((row) => row.name).sort();
}

describe("withTransaction, the one commit path", () => {
  test("a verb called inside another's transaction joins it: one commit, hooks and notifier after it", async () => {
    const org = await newOrg();
    const { told, notify } = recorder();
    const ctx = await systemCtx(backend.db, org.id, { notify });
    const seqs: number[] = [];
    const order: string[] = [];
    await withTransaction({ ...ctx, onCommittedSeq: (seq) => seqs.push(seq) }, async (tx: TxCtx) => {
      await createLabel({ ctx: tx, input: { name: "one", color: "#000000" } });
      await createLabel({ ctx: tx, input: { name: "two", color: "#000000" } });
      tx.afterCommit(() => order.push(`hook after ${told.length} notification(s)`));
      // Nothing is told while the transaction is open, not even after the inner verbs returned.
      expect(told).toEqual([]);
      expect(seqs).toEqual([]);
    });
    expect(await labelNames(org.id)).toEqual(["one", "two"]);
    // One commit: told once, the hook after it, and the seq of the last event appended.
    expect(told).toEqual([[org.id, "appended"]]);
    expect(order).toEqual(["hook after 1 notification(s)"]);
    const events = await backend.db.select().from(schema.event).where(eq(schema.event.orgId, org.id));
    expect(seqs).toEqual([Math.max(...events.map((event) => event.seq))]);
  });

  test("a rollback undoes the joined verbs' writes, runs no hook and tells nobody", async () => {
    const org = await newOrg();
    const { told, notify } = recorder();
    const ctx = await systemCtx(backend.db, org.id, { notify });
    const hooks: string[] = [];
    const failed = await withTransaction(ctx, async (tx) => {
      await createLabel({ ctx: tx, input: { name: "doomed", color: "#000000" } });
      tx.afterCommit(() => hooks.push("ran"));
      throw new Error("abort");
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(await labelNames(org.id)).toEqual([]);
    expect(hooks).toEqual([]);
    expect(told).toEqual([]);
  });

  test("org creation and deletion tell the notifier they were given: appended, then deleted", async () => {
    const created = recorder();
    const org = await newOrg(created.notify);
    expect(created.told).toEqual([[org.id, "appended"]]);

    const deleted = recorder();
    await deleteOrg({ ctx: await systemCtx(backend.db, org.id, { notify: deleted.notify }), input: undefined });
    expect(await getOrg(backend.db, { orgId: org.id })).toBeUndefined();
    // No event is left to announce (the log went with the org): only the deletion.
    expect(deleted.told).toEqual([[org.id, "deleted"]]);
  });

  test("the GitHub sync commits through it and tells its target's notifier", async () => {
    const org = await newOrg();
    const orgRow = await getOrg(backend.db, { orgId: org.id });
    if (!orgRow) throw new Error("org vanished");
    const repo = await backend.db.transaction((tx) =>
      insertRepoLink(tx, { id: newId("ghr"), orgId: org.id, fullName: `octo/commit-${uniqueSuffix()}` }),
    );
    const { told, notify } = recorder();
    const ctx = { db: backend.db, notify, services: partialServices(), org: orgRow, actor: GITHUB };
    await syncLabel({
      ctx,
      input: { repo, event: { label: { id: 1, name: "from-github", color: "0e8a16" } }, action: "created" },
    });
    expect(await labelNames(org.id)).toEqual(["from-github"]);
    expect(told).toEqual([[org.id, "appended"]]);
    const [event] = await backend.db
      .select()
      .from(schema.event)
      .where(and(eq(schema.event.orgId, org.id), eq(schema.event.type, "CREATE_LABEL")));
    expect(event?.actorId).toBeNull();
  });
});
