import { getOrg, lockImport, updateImport } from "@tandem/database";
import { type BaseCtx, type Ctx, withTransaction } from "../context.ts";
import { recordEvent } from "../record-event.ts";
import { toImportDto } from "./imports.ts";
import { clipText } from "./plan.ts";

type ImportRef = { orgId: string; importId: string };

/**
 * Keeps a failed attempt's reason on an import still running (the job will be retried): if the
 * retries run out, the import is marked failed with it.
 */
export async function noteImportAttemptFailed({
  ctx,
  input,
}: {
  ctx: BaseCtx;
  input: ImportRef & { message: string };
}): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await lockImport(tx, input);
    if (!row || row.status === "completed" || row.status === "failed") return;
    await updateImport(tx, { ...input, values: { error: clipText(input.message, 500) } });
  });
}

/**
 * An import whose job ran out of retries (its dead letter): marked failed with the last
 * attempt's reason, its file dropped, and UPDATE_IMPORT sent, so it never stays "running".
 * What its committed batches wrote stays. Answers whether it changed anything.
 */
export async function failDeadImport({
  ctx: base,
  input,
}: {
  ctx: BaseCtx;
  input: ImportRef & { attempts: number };
}): Promise<boolean> {
  const org = await getOrg(base.db, { orgId: input.orgId });
  if (!org) return false;
  const ctx: Ctx = { ...base, org, actor: { type: "system", userId: null } };
  return withTransaction(ctx, async (tx) => {
    const row = await lockImport(tx.tx, input);
    if (!row || row.status === "completed" || row.status === "failed") return false;
    const reason = row.error ? `: ${row.error}` : "";
    const updated = await updateImport(tx.tx, {
      ...input,
      values: {
        status: "failed",
        error: `Stopped after ${input.attempts} failed attempt(s)${reason}. Tasks written before it stopped stay.`,
        finishedAt: new Date(),
        source: null,
      },
    });
    await recordEvent(tx, { type: "UPDATE_IMPORT", payload: { import: toImportDto(updated) } });
    return true;
  });
}
