import { insertImportedRelations } from "@tandem/database";
import { newId } from "@tandem/util";
import { type Ctx, withTransaction } from "../context.ts";
import { recordEvent } from "../record-event.ts";
import { relationEvent } from "../relations/dto.ts";
import type { ImportPlan } from "./plan.ts";

/** Relations written per transaction. */
const RELATION_BATCH = 500;

/**
 * Links the imported tasks as the file linked them, once every task is written. Idempotent: a
 * link already there (this import's last run got that far) is skipped, so a resumed import
 * neither repeats nor loses one. One CREATE_RELATION event per link written.
 */
export async function writeRelations(
  ctx: Ctx,
  plan: ImportPlan,
  written: Map<string, string>,
  createdBy: string | null,
): Promise<void> {
  const rows = (plan.relations ?? []).flatMap((relation) => {
    const from = written.get(`task:${relation.fromKey}`);
    const to = written.get(`task:${relation.toKey}`);
    return from && to
      ? [
          {
            id: newId("rel"),
            orgId: ctx.org.id,
            type: relation.type,
            fromTaskId: from,
            toTaskId: to,
            createdBy,
            ...(relation.createdAt ? { createdAt: new Date(relation.createdAt) } : {}),
          },
        ]
      : [];
  });
  for (let at = 0; at < rows.length; at += RELATION_BATCH)
    await withTransaction(ctx, async (tx) => {
      const inserted = await insertImportedRelations(tx.tx, rows.slice(at, at + RELATION_BATCH));
      for (const row of inserted) await recordEvent(tx, relationEvent("CREATE_RELATION", row, row.relation.fromTaskId));
    });
}
