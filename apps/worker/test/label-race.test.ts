/**
 * Deliveries run side by side (JOB_CONCURRENCY), so several may create the same label at
 * once (issue 16.13): the label is created once, and no delivery fails on the unique index.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { getOrg, schema, systemGetRepoLink } from "@tandem/database";
import { githubCtx, ignoreCommits, partialServices, syncIssue, syncLabel, ZGithubIssue } from "@tandem/domain";
import { uniqueSuffix } from "@tandem/domain/testing";
import { and, eq, sql } from "drizzle-orm";
import {
  deliver,
  example,
  linkAnotherRepo,
  linkedOrg,
  settled,
  startTestWorker,
  type WorkerHarness,
} from "./harness.ts";

const LINKS = 8;
let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker({ JOB_CONCURRENCY: String(LINKS) });
});
afterAll(() => h.stop());

/** One org with `LINKS` linked repositories (one delivery stream each). */
async function orgWithLinks() {
  const { repo, org } = await linkedOrg(h.handle);
  const repos = [repo];
  while (repos.length < LINKS) repos.push((await linkAnotherRepo(h.handle, org.id)).repo);
  const row = await getOrg(h.handle.db, { orgId: org.id });
  if (!row) throw new Error("the org vanished");
  return { org: row, repos };
}

async function labelsNamed(orgId: string, name: string) {
  return h.handle.db
    .select()
    .from(schema.label)
    .where(and(eq(schema.label.orgId, orgId), eq(schema.label.name, name)));
}

async function createLabelEvents(orgId: string, name: string) {
  const rows = await h.handle.db
    .select({ seq: schema.event.seq })
    .from(schema.event)
    .where(
      and(
        eq(schema.event.orgId, orgId),
        eq(schema.event.type, "CREATE_LABEL"),
        sql`${schema.event.payload} #>> '{label,name}' = ${name}`,
      ),
    );
  return rows.length;
}

test("concurrent label creation applies once: parallel syncs of one new label all succeed", async () => {
  const { org, repos } = await orgWithLinks();
  const ctx = githubCtx({ db: h.handle.db, notify: ignoreCommits, services: partialServices() }, org);
  const rows = await Promise.all(repos.map((repo) => systemGetRepoLink(h.handle.db, { id: repo.id })));
  const links = rows.flatMap((row) => (row ? [row] : []));
  expect(links).toHaveLength(LINKS);

  // Issues carrying a label the org does not have yet, one per repository, all at once.
  const fromIssues = `race-${uniqueSuffix()}`;
  const results = await Promise.allSettled(
    links.map((repo, i) => {
      const issue = ZGithubIssue.parse({
        ...example("issues", "opened").issue,
        number: 100 + i,
        labels: [{ name: fromIssues, color: "ff0000" }],
      });
      return syncIssue({ ctx, input: { repo, issue, action: "opened" } });
    }),
  );
  expect(results.filter((result) => result.status === "rejected")).toEqual([]);
  expect(await labelsNamed(org.id, fromIssues)).toHaveLength(1);
  expect(await createLabelEvents(org.id, fromIssues)).toBe(1);

  // The same label created on every repository (label.created) at once.
  const fromLabels = `made-${uniqueSuffix()}`;
  const made = await Promise.allSettled(
    links.map((repo, i) =>
      syncLabel({
        ctx,
        input: { repo, action: "created", event: { label: { id: 9_000 + i, name: fromLabels, color: "00ff00" } } },
      }),
    ),
  );
  expect(made.filter((result) => result.status === "rejected")).toEqual([]);
  expect(await labelsNamed(org.id, fromLabels)).toHaveLength(1);
  expect(await createLabelEvents(org.id, fromLabels)).toBe(1);
});

test("deliveries of several links are applied side by side with no retry", async () => {
  const { org, repos } = await orgWithLinks();
  const name = `wire-${uniqueSuffix()}`;
  const sent = await Promise.all(
    repos.map((repo, i) => {
      const payload = example("issues", "opened");
      payload.repository.full_name = repo.fullName;
      Object.assign(payload.issue, {
        number: 500 + i,
        labels: [{ ...payload.issue.labels?.[0], name, color: "0000ff" }],
      });
      return deliver(h.worker, "issues", payload, { to: { id: repo.id, secret: repo.webhookSecret } });
    }),
  );
  expect(sent.map((result) => result.status)).toEqual(Array(LINKS).fill(202));
  for (const { deliveryId } of sent) expect(await settled(h.handle, deliveryId)).toBe("processed");
  expect(await labelsNamed(org.id, name)).toHaveLength(1);
  const ids = sent.map((result) => result.deliveryId);
  const retried = await h.handle.sql<{ n: number }[]>`
    select count(*)::int as n from pgboss.job
     where name = 'github-event' and data->>'deliveryId' in ${h.handle.sql(ids)} and retry_count > 0`;
  expect(retried[0]?.n).toBe(0);
});
