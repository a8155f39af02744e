import type {
  TExternalUser,
  TImportCounts,
  TImportPreview,
  TStateCategory,
  TTaskPriority,
  TTaskStatus,
} from "@tandem/contracts";

/**
 * What an import will write, whatever the file's format: the parsers (Tandem JSON, CSV,
 * Trello) each turn a file into a plan, and one runner writes plans. `key`s are the source's
 * own ids; the runner records which rows it wrote under them, so a resumed import skips what
 * already committed. People are matched by e-mail address to the target org's members.
 */
export type PlannedTag = { key: string; name: string; color: string };
export type PlannedComment = {
  body: string;
  authorEmail: string | null;
  /** Shown as the author when nobody with `authorEmail` is a member. */
  authorName: string | null;
  externalAuthor: TExternalUser | null;
  createdAt: string | null;
  editedAt: string | null;
};
export type PlannedActivity = {
  actorEmail: string | null;
  actorType: "user" | "github" | "system" | "apiKey";
  actorKey: { id: string; name: string } | null;
  action: string;
  changes: { field: string; from: unknown; to: unknown }[];
  createdAt: string;
};
export type PlannedTask = {
  key: string;
  /** Kept when the target org has no task yet (a restore); otherwise a new number is taken. */
  number: number | null;
  title: string;
  description: string;
  status: TTaskStatus;
  priority: TTaskPriority;
  visibility: "public" | "private";
  categoryKey: string | null;
  /** Always a task earlier in the plan. */
  parentKey: string | null;
  labelKeys: string[];
  assigneeEmails: string[];
  externalAssignees: TExternalUser[];
  rank: string | null;
  createdByEmail: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  comments: PlannedComment[];
  /** The source's history (a Tandem export); null: the import records one "created" entry. */
  activity: PlannedActivity[] | null;
  /**
   * The column's name in the source (a Tandem state, a Trello list): a state of that name in the
   * target project takes the task when its category fits the status, else the status decides.
   */
  stateName?: string | null;
  /** A Tandem export's project and state ids (`PlannedProject.key`, `PlannedState.key`). */
  projectRef?: string | null;
  stateRef?: string | null;
  startDate?: string | null;
  dueDate?: string | null;
  estimate?: number | null;
};
export type PlannedState = { key: string; name: string; color: string; category: TStateCategory };
/** A project of a Tandem export: `key` is its id there, `projectKey` its task-key prefix. */
export type PlannedProject = {
  key: string;
  projectKey: string;
  name: string;
  description: string;
  color: string | null;
  /** In column order; at least one `unstarted` and one `completed`. */
  states: PlannedState[];
};
/** A relation between two planned tasks (their keys), stored one way. */
export type PlannedRelation = {
  fromKey: string;
  toKey: string;
  type: "blocks" | "relates" | "duplicate_of";
  createdAt: string | null;
};
export type ImportPlan = {
  labels: PlannedTag[];
  categories: PlannedTag[];
  tasks: PlannedTask[];
  warnings: string[];
  /** The source's projects (a Tandem export); without them every task goes to the org's first project. */
  projects?: PlannedProject[];
  relations?: PlannedRelation[];
  /**
   * The source's columns (Trello lists, in order; `key` is what tasks' `stateRef` names): each
   * becomes the target project's state of the same name and category, added when it has none.
   */
  columns?: { key: string; name: string; category: TStateCategory }[];
};

/** A file that cannot be imported: the reason is shown to the person who uploaded it. */
export class ImportFileError extends Error {}

export const MAX_IMPORT_TASKS = 50_000;

/**
 * At most `length` characters of `text`, never half a surrogate pair: a cut emoji would leave
 * a lone surrogate, which the database cannot store (and the file would then be refused).
 */
export function clipText(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Tasks reordered so every parent comes before its children (a parent missing from the file is dropped). */
export function parentsFirst(tasks: PlannedTask[], warnings: string[]): PlannedTask[] {
  const byKey = new Map(tasks.map((task) => [task.key, task]));
  const placed = new Set<string>();
  const out: PlannedTask[] = [];
  const place = (task: PlannedTask, path: Set<string>) => {
    if (placed.has(task.key)) return;
    const parent = task.parentKey ? byKey.get(task.parentKey) : undefined;
    if (task.parentKey && (!parent || path.has(parent.key))) {
      warnings.push(`"${task.title}": its parent is not in the file; imported without one`);
      task.parentKey = null;
    } else if (parent) place(parent, new Set([...path, task.key]));
    placed.add(task.key);
    out.push(task);
  };
  for (const task of tasks) place(task, new Set([task.key]));
  return out;
}

export function planCounts(plan: ImportPlan): TImportCounts {
  let comments = 0;
  let activity = 0;
  for (const task of plan.tasks) {
    comments += task.comments.length;
    activity += task.activity?.length ?? 1;
  }
  return {
    tasks: plan.tasks.length,
    comments,
    labels: plan.labels.length,
    categories: plan.categories.length,
    activity,
  };
}

export function previewOf(format: TImportPreview["format"], plan: ImportPlan): TImportPreview {
  const labelNames = new Map(plan.labels.map((label) => [label.key, label.name]));
  return {
    format,
    counts: planCounts(plan),
    sample: plan.tasks.slice(0, 20).map((task) => ({
      title: task.title,
      status: task.status,
      priority: task.priority,
      labels: task.labelKeys.map((key) => labelNames.get(key) ?? key),
    })),
    warnings: plan.warnings.slice(0, 100),
  };
}

const STATUS_WORDS: [RegExp, TTaskStatus][] = [
  [/^(done|complete|completed|closed|finished|resolved|shipped)$/, "done"],
  [/^(in ?progress|doing|started|wip|active|review|in ?review)$/, "in_progress"],
  [/^(backlog|icebox|later|someday|ideas?)$/, "backlog"],
  [/^(cancel+ed|won'?t ?(do|fix)|rejected|dropped)$/, "canceled"],
  [/^(todo|to ?do|open|new|next|planned|ready|unstarted)$/, "todo"],
];

/** A status from a word people use for it ("In progress", "Doing", "Done"…), or null. */
export function statusFromWord(word: string): TTaskStatus | null {
  const normal = word
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .trim();
  for (const [pattern, status] of STATUS_WORDS) if (pattern.test(normal)) return status;
  return null;
}

const PRIORITY_WORDS: Record<string, TTaskPriority> = {
  none: "none",
  "": "none",
  "no priority": "none",
  low: "low",
  p3: "low",
  medium: "medium",
  normal: "medium",
  p2: "medium",
  high: "high",
  p1: "high",
  urgent: "urgent",
  critical: "urgent",
  p0: "urgent",
};

export function priorityFromWord(word: string): TTaskPriority | null {
  return PRIORITY_WORDS[word.trim().toLowerCase()] ?? null;
}

/** Items grouped by a key, in their order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
