import {
  PAGE_MAX_BYTES,
  PUBLIC_EXCERPT_CHARS,
  type TPublicBoard,
  type TPublicTask,
  type TPublicTaskPage,
  type TTask,
} from "@tandem/contracts";
import {
  defaultProject,
  getTask,
  listPublicAssignees,
  listTags,
  listTasks,
  type OrgRow,
  projectKeys,
  systemGetOrgBySlugWithSeq,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { parseTaskKey } from "@tandem/util";
import type { PublicCtx } from "./context.ts";
import { notFound } from "./errors.ts";
import { toPublicOrgDto, toTagDto, toTaskDto } from "./mappers.ts";
import { fitPage } from "./tasks/page.ts";
import { decodeCursor, encodeCursor } from "./tasks/read.ts";

/** Fields always shown on a public card; the org chooses which of the others are public. */
export type PublicTask = TPublicTask;

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

/**
 * A public card: the redacted task with at most an excerpt of its description, so a list
 * page or a live event stays small whatever the descriptions weigh.
 */
export function redactCard(task: TTask, publicFields: readonly string[]): PublicTask {
  const card = redactTask(task, publicFields);
  if (card.description === undefined || card.description.length <= PUBLIC_EXCERPT_CHARS) return card;
  let excerpt = card.description.slice(0, PUBLIC_EXCERPT_CHARS);
  // Never end on half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(excerpt)) excerpt = excerpt.slice(0, -1);
  return { ...card, description: excerpt, descriptionTruncated: true };
}

/** A published board: the org and the seq its public responses are cached under. */
export type PublicBoard = { org: OrgRow; seq: number };

/** One read per request; an org without a public board is indistinguishable from a missing one. */
export function loadPublicBoard({
  ctx: { db },
  input,
}: {
  ctx: PublicCtx;
  input: { slug: string };
}): Promise<PublicBoard> {
  const { slug } = input;
  return traced("public.board", async () => {
    const found = await systemGetOrgBySlugWithSeq(db, { slug });
    if (!found?.org.publicBoard) throw notFound("Board");
    return found;
  });
}

/** The org and the names its public fields refer to (labels, categories, assignees). */
export function getPublicOrg({
  ctx: { db },
  input: { board },
}: {
  ctx: PublicCtx;
  input: { board: PublicBoard };
}): Promise<TPublicBoard> {
  return traced("public.org", async () => {
    const { org } = board;
    const shows = (field: string) => org.publicFields.includes(field);
    const [labels, categories, people] = await Promise.all([
      shows("labels") ? listTags(db, { kind: "label", orgId: org.id }) : null,
      shows("category") ? listTags(db, { kind: "category", orgId: org.id }) : null,
      shows("assignees") ? listPublicAssignees(db, { orgId: org.id }) : null,
    ]);
    return {
      ...toPublicOrgDto(org),
      ...(labels ? { labels: labels.map(toTagDto) } : {}),
      ...(categories ? { categories: categories.map(toTagDto) } : {}),
      ...(people ? { people: people.map((p) => ({ id: p.id, name: p.name, image: p.image ?? null })) } : {}),
    };
  });
}

/**
 * One page of public cards in board order, at most `limit` and at most
 * PAGE_MAX_BYTES of JSON; `nextCursor` continues after the last card.
 */
export function listPublicTasks({
  ctx: { db },
  input: { board, cursor, limit },
}: {
  ctx: PublicCtx;
  input: { board: PublicBoard; cursor?: string | undefined; limit: number };
}): Promise<TPublicTaskPage> {
  return traced("public.tasks", async () => {
    const { org } = board;
    const rows = await listTasks(db, {
      orgId: org.id,
      filters: { visibility: "public" },
      cursor: cursor ? decodeCursor(cursor) : undefined,
      limit: limit + 1,
      // One more character than the excerpt, to know it was cut.
      descriptionChars: PUBLIC_EXCERPT_CHARS + 1,
    });
    const keys = await projectKeys(db, { orgId: org.id });
    const cards = rows.slice(0, limit).map((row) => ({
      row,
      card: redactCard(toTaskDto(row, keys.get(row.projectId) ?? ""), org.publicFields),
    }));
    const page = fitPage(cards, (item) => item.card, PAGE_MAX_BYTES);
    const last = page.at(-1)?.row;
    const more = page.length < cards.length || rows.length > limit;
    return {
      tasks: page.map((item) => item.card),
      nextCursor: more && last ? encodeCursor(last) : null,
    };
  });
}

/** The whole public task, full description included (the read-only task view). */
export function getPublicTask({
  ctx: { db },
  input: { board, key },
}: {
  ctx: PublicCtx;
  input: { board: PublicBoard; key: string };
}): Promise<PublicTask> {
  return traced("public.task", async () => {
    const { org } = board;
    // `ENG-42`, or a bare number of the org's first project.
    const parsed = /^\d+$/.test(key)
      ? { prefix: (await defaultProject(db, { orgId: org.id }))?.key ?? "", number: Number(key) }
      : parseTaskKey(key);
    if (!parsed?.number || parsed.number > 2_147_483_647) throw notFound("Task");
    const row = await getTask(db, { orgId: org.id, ref: { projectKey: parsed.prefix, number: parsed.number } });
    if (row?.visibility !== "public") throw notFound("Task");
    const keys = await projectKeys(db, { orgId: org.id });
    return redactTask(toTaskDto(row, keys.get(row.projectId) ?? parsed.prefix), org.publicFields);
  });
}
