import { type DbHandle, getOrg, systemReconcilableRepoLinks, touchRepoSync } from "@tandem/database";
import { githubCtx, ignoreCommits, type Services, syncIssue, ZGithubIssue } from "@tandem/domain";
import { traced } from "@tandem/opentelemetry";
import { decryptSecret, type Logger } from "@tandem/util/server";
import { type GithubConfig, githubClient } from "./github-api.ts";

/**
 * Re-reads linked repos' issues updated since the last sync, with each link's own token (checked
 * against the repository when it was saved; links without one are never read), and applies them like webhooks:
 * whatever a missed delivery would have done happens now, and nothing is applied twice
 * (the per-field `updated_at` comparison makes it idempotent).
 */
export async function reconcile(
  { handle, services, logger }: { handle: DbHandle; services: Services; logger: Logger },
  config: GithubConfig & { encryptionKey: string | undefined },
  only?: { repoId?: string },
): Promise<number> {
  return traced("job.github-reconcile", async () => {
    let applied = 0;
    for (const repo of await systemReconcilableRepoLinks(handle.db)) {
      if (only?.repoId && repo.id !== only.repoId) continue;
      const org = await getOrg(handle.db, { orgId: repo.orgId });
      if (!org || !repo.tokenEncrypted || !config.encryptionKey) continue;
      const token = decryptSecret(repo.tokenEncrypted, config.encryptionKey);
      const startedAt = new Date();
      const issues = await githubClient(config, token).listIssuesSince(repo.fullName, repo.lastSyncedAt);
      for (const raw of issues) {
        const issue = ZGithubIssue.safeParse(raw);
        if (!issue.success) continue;
        await syncIssue({
          ctx: githubCtx({ db: handle.db, notify: ignoreCommits, services }, org),
          input: { repo, issue: issue.data, action: "edited" },
        });
        applied += 1;
      }
      await touchRepoSync(handle.db, { orgId: repo.orgId, id: repo.id, at: startedAt });
      logger.info("reconciled", { repo: repo.fullName, orgId: repo.orgId, issues: issues.length });
    }
    return applied;
  });
}
