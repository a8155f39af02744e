import type { TPublicOrg, TTask } from "@tandem/contracts";
import { type Database, getOrgBySlug, getTask, listTasks, type OrgRow } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { parseTaskKey } from "@tandem/util";
import { notFound } from "./errors.ts";
import { toPublicOrgDto, toTaskDto } from "./mappers.ts";

/** Fields always shown on a public card; the org chooses which of the others are public. */
export type PublicTask = Partial<TTask> & Pick<TTask, "id" | "key" | "number" | "title" | "rank" | "version">;

const FIELD_KEYS: Record<string, (keyof TTask)[]> = {
  description: ["description"],
  status: ["status"],
  priority: ["priority"],
  category: ["categoryId"],
  labels: ["labelIds"],
  assignees: ["assigneeIds"],
  parent: ["parentId"],
};

/** Strips a task down to what an anonymous visitor may read. */
export function redactTask(task: TTask, publicFields: readonly string[]): PublicTask {
  const out: PublicTask = {
    id: task.id,
    key: task.key,
    number: task.number,
    title: task.title,
    rank: task.rank,
    version: task.version,
    visibility: task.visibility,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
  for (const field of publicFields) {
    for (const key of FIELD_KEYS[field] ?? []) Object.assign(out, { [key]: task[key] });
  }
  return out;
}

async function loadPublicOrg(db: Database, slug: string): Promise<OrgRow> {
  const org = await getOrgBySlug(db, { slug });
  // An org without a public board is indistinguishable from a missing one.
  if (!org?.publicBoard) throw notFound("Board");
  return org;
}

export function getPublicOrg({ db, slug }: { db: Database; slug: string }): Promise<TPublicOrg> {
  return traced("public.org", async () => toPublicOrgDto(await loadPublicOrg(db, slug)));
}

export function listPublicTasks({
  db,
  slug,
  limit,
}: {
  db: Database;
  slug: string;
  limit: number;
}): Promise<PublicTask[]> {
  return traced("public.tasks", async () => {
    const org = await loadPublicOrg(db, slug);
    const rows = await listTasks(db, { orgId: org.id, filters: { visibility: "public" }, limit });
    return rows.map((row) => redactTask(toTaskDto(row, org.prefix), org.publicFields));
  });
}

export function getPublicTask({ db, slug, key }: { db: Database; slug: string; key: string }): Promise<PublicTask> {
  return traced("public.task", async () => {
    const org = await loadPublicOrg(db, slug);
    const number = /^\d+$/.test(key) ? Number(key) : parseTaskKey(key)?.number;
    if (!number || number > 2_147_483_647) throw notFound("Task");
    const row = await getTask(db, { orgId: org.id, ref: { number } });
    if (row?.visibility !== "public") throw notFound("Task");
    return redactTask(toTaskDto(row, org.prefix), org.publicFields);
  });
}
