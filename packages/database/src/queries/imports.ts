import { and, desc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { dataImport, dataImportItem, task, taskActivity, taskComment } from "../schema/index.ts";
import { raiseProjectNumber } from "./projects.ts";

export type ImportRow = typeof dataImport.$inferSelect;
/** An import as listed: never its file. */
export type ListedImport = Omit<ImportRow, "source" | "mapping">;

const { source: _source, mapping: _mapping, ...listedColumns } = getTableColumns(dataImport);

export async function insertImport(tx: Transaction, values: typeof dataImport.$inferInsert): Promise<ListedImport> {
  const [row] = await tx.insert(dataImport).values(values).returning(listedColumns);
  if (!row) throw new Error("insert import returned nothing");
  return row;
}

export async function listImports(db: Executor, { orgId }: { orgId: string }): Promise<ListedImport[]> {
  return db
    .select(listedColumns)
    .from(dataImport)
    .where(eq(dataImport.orgId, orgId))
    .orderBy(desc(dataImport.createdAt))
    .limit(50);
}

export async function getImport(
  db: Executor,
  { orgId, importId }: { orgId: string; importId: string },
): Promise<ListedImport | undefined> {
  const [row] = await db
    .select(listedColumns)
    .from(dataImport)
    .where(and(eq(dataImport.orgId, orgId), eq(dataImport.id, importId)));
  return row;
}

/** The import with its file, locked: one job runs it at a time. */
export async function lockImport(
  tx: Transaction,
  { orgId, importId }: { orgId: string; importId: string },
): Promise<ImportRow | undefined> {
  const [row] = await tx
    .select()
    .from(dataImport)
    .where(and(eq(dataImport.orgId, orgId), eq(dataImport.id, importId)))
    .for("update");
  return row;
}

export async function updateImport(
  tx: Transaction,
  {
    orgId,
    importId,
    values,
  }: {
    orgId: string;
    importId: string;
    values: Partial<
      Pick<ImportRow, "status" | "keepNumbers" | "total" | "done" | "warnings" | "error" | "finishedAt" | "source">
    >;
  },
): Promise<ListedImport> {
  const [row] = await tx
    .update(dataImport)
    .set(values)
    .where(and(eq(dataImport.orgId, orgId), eq(dataImport.id, importId)))
    .returning(listedColumns);
  if (!row) throw new Error(`import ${importId} vanished`);
  return row;
}

/** Everything an import has written so far, by source key. */
export async function importedItems(db: Executor, { importId }: { importId: string }): Promise<Map<string, string>> {
  const rows = await db
    .select({ sourceKey: dataImportItem.sourceKey, targetId: dataImportItem.targetId })
    .from(dataImportItem)
    .where(eq(dataImportItem.importId, importId));
  return new Map(rows.map((row) => [row.sourceKey, row.targetId]));
}

export async function insertImportItems(
  tx: Transaction,
  { importId, items }: { importId: string; items: { sourceKey: string; targetId: string }[] },
): Promise<void> {
  if (items.length === 0) return;
  await tx.insert(dataImportItem).values(items.map((item) => ({ importId, ...item })));
}

export async function countTasks(db: Executor, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(task).where(eq(task.orgId, orgId));
  return row?.n ?? 0;
}

/** The task numbers already taken in a project (an import keeping numbers skips none of them). */
export async function takenTaskNumbers(
  db: Executor,
  { orgId, projectId }: { orgId: string; projectId: string },
): Promise<Set<number>> {
  const rows = await db
    .select({ number: task.number })
    .from(task)
    .where(and(eq(task.orgId, orgId), eq(task.projectId, projectId)));
  return new Set(rows.map((row) => row.number));
}

/**
 * Inserts imported tasks as given (numbers, ranks and times included) and raises their
 * project's task counter past them, so later creates continue after the highest number.
 */
/** Inserts an import's tasks and raises each of their projects' counters past their numbers. */
export async function insertImportedTasks(
  tx: Transaction,
  { orgId, rows }: { orgId: string; rows: (typeof task.$inferInsert & { projectId: string })[] },
) {
  if (rows.length === 0) return;
  await tx.insert(task).values(rows);
  const highest = new Map<string, number>();
  for (const row of rows) highest.set(row.projectId, Math.max(highest.get(row.projectId) ?? 0, row.number));
  for (const [projectId, number] of highest) await raiseProjectNumber(tx, { orgId, projectId, highest: number });
}

export async function insertImportedComments(tx: Transaction, rows: (typeof taskComment.$inferInsert)[]) {
  if (rows.length > 0) await tx.insert(taskComment).values(rows);
}

export async function insertImportedActivity(tx: Transaction, rows: (typeof taskActivity.$inferInsert)[]) {
  if (rows.length > 0) await tx.insert(taskActivity).values(rows);
}
