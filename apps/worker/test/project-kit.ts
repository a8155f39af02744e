import type { TRepoLink } from "@tandem/contracts";
import { type Database, insertProject, insertStates, type StateRow } from "@tandem/database";
import { updateRepo } from "@tandem/domain";
import { NO_GITHUB, systemCtx } from "@tandem/domain/testing";
import { newId } from "@tandem/util";
import { DEV_ENCRYPTION_KEY } from "@tandem/util/server";

/**
 * A second project of the org whose first `unstarted` state is "Inbox", ahead of "Todo" (so
 * landing in "the first unstarted state" is told apart from landing in "Todo").
 */
export async function projectWithInbox(db: Database, orgId: string, key: string) {
  return db.transaction(async (tx) => {
    const project = await insertProject(tx, { id: newId("prj"), orgId, key, name: key, position: 1 });
    const rows = [
      { name: "Inbox", color: "#0ea5e9", category: "unstarted" },
      { name: "Backlog", color: "#94a3b8", category: "backlog" },
      { name: "Todo", color: "#64748b", category: "unstarted" },
      { name: "In progress", color: "#f59e0b", category: "started" },
      { name: "Shipped", color: "#22c55e", category: "completed" },
      { name: "Done", color: "#16a34a", category: "completed" },
      { name: "Dropped", color: "#ef4444", category: "canceled" },
    ] as const;
    const states = await insertStates(tx, {
      orgId,
      rows: rows.map((row, position) => ({ id: newId("wst"), projectId: project.id, ...row, position })),
    });
    const first = (category: StateRow["category"]) => states.find((s) => s.category === category)?.id ?? "";
    const inbox = states.find((s) => s.name === "Inbox");
    if (!inbox) throw new Error("no Inbox state");
    return {
      project,
      inbox,
      byCategory: { completed: first("completed"), canceled: first("canceled"), started: first("started") },
    };
  });
}

/** Points a repo link at another project (by key), as an admin's PATCH would. */
export async function relinkToProject(
  db: Database,
  orgId: string,
  repoId: string,
  projectKey: string,
): Promise<TRepoLink> {
  const ctx = await systemCtx(db, orgId, {
    services: {
      encryptionKey: DEV_ENCRYPTION_KEY,
      github: {
        webhookBaseUrl: "http://worker.test",
        api: NO_GITHUB,
      },
    },
  });
  return updateRepo({ ctx, input: { repoId, patch: { projectId: projectKey } } });
}
