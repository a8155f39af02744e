import { STATUS_CATEGORY, TAG_NAME_MAX, TASK_TITLE_MAX } from "@tandem/contracts";
import { z } from "zod";
import {
  clipText,
  groupBy,
  ImportFileError,
  type ImportPlan,
  MAX_IMPORT_TASKS,
  type PlannedTask,
  statusFromWord,
} from "./plan.ts";

/** The parts of Trello's board export (Board menu → Print, export and share → JSON) we read. */
const ZTrelloBoard = z.object({
  name: z.string(),
  lists: z.array(z.object({ id: z.string(), name: z.string(), closed: z.boolean().default(false), pos: z.number() })),
  cards: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      desc: z.string().default(""),
      closed: z.boolean().default(false),
      idList: z.string(),
      idLabels: z.array(z.string()).default([]),
      pos: z.number(),
    }),
  ),
  labels: z
    .array(z.object({ id: z.string(), name: z.string().nullable().default(""), color: z.string().nullable() }))
    .default([]),
  checklists: z
    .array(
      z.object({
        idCard: z.string(),
        pos: z.number().default(0),
        checkItems: z.array(
          z.object({ id: z.string(), name: z.string(), state: z.string(), pos: z.number().default(0) }),
        ),
      }),
    )
    .default([]),
  actions: z
    .array(
      z.object({
        type: z.string(),
        date: z.string(),
        data: z.object({ text: z.string().optional(), card: z.object({ id: z.string() }).optional() }).passthrough(),
        memberCreator: z
          .object({ fullName: z.string().nullable().optional(), username: z.string() })
          .nullable()
          .optional(),
      }),
    )
    .default([]),
});

/** Trello's label colour names, as hex. */
const COLORS: Record<string, string> = {
  green: "#4bce97",
  yellow: "#e2b203",
  orange: "#faa53d",
  red: "#f87462",
  purple: "#9f8fef",
  blue: "#579dff",
  sky: "#6cc3e0",
  lime: "#94c748",
  pink: "#e774bb",
  black: "#8590a2",
};
const colorOf = (name: string | null) => COLORS[(name ?? "").replace(/_(dark|light)$/, "")] ?? "#6b7280";

/**
 * A Trello board as a plan: each open list's name picks the cards' status ("Doing" → In progress;
 * a list whose name says nothing → To do), labels come across, checklist items become sub-tasks
 * (done when checked), comments keep their author's name and date. Archived cards and lists stay
 * behind (counted in the warnings).
 */
export function planTrelloBoard(text: string): ImportPlan {
  let board: z.infer<typeof ZTrelloBoard>;
  try {
    const parsed = ZTrelloBoard.safeParse(JSON.parse(text));
    if (!parsed.success) throw new ImportFileError("Not a Trello board export: it has no lists and cards");
    board = parsed.data;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError("Not a Trello board export: the file is not JSON");
  }
  const warnings: string[] = [];
  const lists = new Map(board.lists.filter((list) => !list.closed).map((list) => [list.id, list]));
  const unmatched = new Set<string>();
  const statusOfList = (name: string) => {
    const status = statusFromWord(name);
    if (!status) unmatched.add(name);
    return status ?? "todo";
  };
  const labels = board.labels.map((label) => ({
    key: label.id,
    name: clipText(label.name?.trim() || label.color || "label", TAG_NAME_MAX),
    color: colorOf(label.color),
  }));
  const comments = groupBy(
    board.actions.filter((action) => action.type === "commentCard" && action.data.card && action.data.text),
    (action) => action.data.card?.id ?? "",
  );
  const checklists = groupBy(board.checklists, (checklist) => checklist.idCard);
  const open = board.cards.filter((card) => !card.closed && lists.has(card.idList));
  const skipped = board.cards.length - open.length;
  if (skipped > 0) warnings.push(`${skipped} archived card(s) or card(s) in archived lists were left out`);
  const listOrder = [...lists.values()].sort((a, b) => a.pos - b.pos).map((list) => list.id);
  open.sort((a, b) => listOrder.indexOf(a.idList) - listOrder.indexOf(b.idList) || a.pos - b.pos);
  // Checklist items become tasks too: they count toward the limit.
  const items = open.reduce(
    (sum, card) =>
      sum + (checklists.get(card.id) ?? []).reduce((count, checklist) => count + checklist.checkItems.length, 0),
    open.length,
  );
  if (items > MAX_IMPORT_TASKS)
    throw new ImportFileError(`At most ${MAX_IMPORT_TASKS} tasks per import (checklist items count as tasks)`);
  const base = () =>
    ({
      number: null,
      priority: "none",
      visibility: "private",
      categoryKey: null,
      assigneeEmails: [],
      externalAssignees: [],
      rank: null,
      createdByEmail: null,
      updatedAt: null,
      activity: null,
    }) satisfies Partial<PlannedTask>;
  const labelKeys = new Set(labels.map((label) => label.key));
  const tasks: PlannedTask[] = [];
  for (const card of open) {
    const status = statusOfList(lists.get(card.idList)?.name ?? "");
    tasks.push({
      ...base(),
      key: card.id,
      title: clipText(card.name.trim(), TASK_TITLE_MAX) || "(untitled card)",
      description: card.desc,
      status,
      stateName: lists.get(card.idList)?.name ?? null,
      stateRef: card.idList,
      parentKey: null,
      labelKeys: card.idLabels.filter((id) => labelKeys.has(id)),
      createdAt: null,
      comments: (comments.get(card.id) ?? [])
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((action) => ({
          body: action.data.text ?? "",
          authorEmail: null,
          authorName: action.memberCreator?.fullName || action.memberCreator?.username || null,
          externalAuthor: action.memberCreator ? { login: action.memberCreator.username, avatarUrl: null } : null,
          createdAt: action.date,
          editedAt: null,
        })),
    });
    const items = (checklists.get(card.id) ?? [])
      .sort((a, b) => a.pos - b.pos)
      .flatMap((checklist) => [...checklist.checkItems].sort((a, b) => a.pos - b.pos));
    for (const item of items)
      tasks.push({
        ...base(),
        key: `${card.id}:${item.id}`,
        title: clipText(item.name.trim(), TASK_TITLE_MAX) || "(untitled item)",
        description: "",
        status: item.state === "complete" ? "done" : status === "done" ? "done" : "todo",
        parentKey: card.id,
        labelKeys: [],
        createdAt: null,
        comments: [],
      });
  }
  // Each open list is a column: the target project's state of that name, or a new one.
  const columns = listOrder.map((id) => {
    const name = lists.get(id)?.name ?? "";
    return { key: id, name: clipText(name.trim(), 120) || "List", category: STATUS_CATEGORY[statusOfList(name)] };
  });
  if (unmatched.size > 0)
    warnings.push(`List(s) ${[...unmatched].map((name) => `"${name}"`).join(", ")} imported as To do`);
  return { labels, categories: [], tasks, warnings, columns };
}
