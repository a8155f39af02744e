/**
 * Run with Bun by the GitHub browser test: applies a pull request (assigned to a GitHub user
 * with no Tandem account) and an approving review to the org's link through the real sync, and
 * records a delivery that died on a lock timeout, as the worker would have.
 * Usage: bun e2e/github-fixture.ts <orgId> <linkId>
 */
import { connect, getOrg, systemGetRepoLink } from "@tandem/database";
import {
  githubCtx,
  ignoreCommits,
  partialServices,
  syncPullRequest,
  syncReview,
  ZGithubPullRequest,
  ZGithubReview,
} from "@tandem/domain";

const [orgId = "", linkId = ""] = process.argv.slice(2);
const handle = connect(process.env.DATABASE_URL ?? "", { applicationName: "e2e-github-fixture" });
const org = await getOrg(handle.db, { orgId });
const repo = await systemGetRepoLink(handle.db, { id: linkId });
if (!org || !repo) throw new Error("no such org or link");
const ctx = githubCtx({ db: handle.db, notify: ignoreCommits, services: partialServices() }, org);
const pr = ZGithubPullRequest.parse({
  id: 1,
  number: 7,
  title: "Speed up the board",
  body: "",
  state: "open",
  labels: [{ name: "performance", color: "0e8a16" }],
  assignees: [{ id: 583231, login: "octocat", avatar_url: null }],
  updated_at: "2026-09-01T10:00:00Z",
});
await syncPullRequest({ ctx, input: { repo, pullRequest: pr, action: "opened" } });
const review = ZGithubReview.parse({
  id: 10,
  state: "approved",
  user: { id: 99, login: "reviewer" },
  submitted_at: "2026-09-01T11:00:00Z",
});
await syncReview({ ctx, input: { repo, prNumber: 7, review } });
await handle.sql`
  insert into webhook_delivery (id, link_id, event, action, repository, status, error, error_step)
  values (${crypto.randomUUID()}, ${repo.id}, 'issues', 'edited', ${repo.fullName}, 'dead',
          'canceling statement due to lock timeout', 'issue')`;
await handle.close();
