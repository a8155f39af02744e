import {
  COMMENT_BODY_MAX,
  findUnsafeText,
  TAG_COLOR_PATTERN,
  TAG_NAME_MAX,
  TASK_DESCRIPTION_MAX,
  TASK_TITLE_MAX,
  UNSAFE_TEXT_MESSAGE,
} from "@tandem/contracts";
import { isValidRank } from "@tandem/util";
import { clipText, ImportFileError, type ImportPlan, type PlannedTag, type PlannedTask } from "./plan.ts";

/** The largest value of a Postgres `integer` column (task numbers). */
const MAX_INT = 2 ** 31 - 1;

/** How deep a history entry's values may nest (real ones are flat or one level deep). */
const MAX_CHANGE_DEPTH = 16;

/** Whether `value` nests arrays or objects deeper than `limit` (iterative: a hostile depth cannot overflow the stack). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A date the database takes and the app can show: parseable, years 1 to 9999. */
function isStorableDate(value: string): boolean {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** Where a task is, for messages: its title when it has a readable one, else its place in the file. */
const taskName = (task: PlannedTask, index: number) => {
  const title = task.title.trim();
  return title && title.length <= 80 ? `Task "${title}"` : `Task ${index + 1}`;
};

function checkTags(kind: "Label" | "Category", tags: readonly PlannedTag[]) {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(tag.key)) throw new ImportFileError(`${kind} id "${clipText(tag.key, 64)}" appears more than once`);
    keys.add(tag.key);
    const name = tag.name.trim();
    if (name.length === 0 || name.length > TAG_NAME_MAX)
      throw new ImportFileError(`${kind} "${clipText(name, 60)}": a name needs 1 to ${TAG_NAME_MAX} characters`);
    if (!TAG_COLOR_PATTERN.test(tag.color))
      throw new ImportFileError(
        `${kind} "${name}": colour "${clipText(tag.color, 20)}" is not a hex colour like #aabbcc`,
      );
  }
}

function checkDates(where: string, dates: Record<string, string | null>) {
  for (const [field, value] of Object.entries(dates))
    if (value !== null && !isStorableDate(value))
      throw new ImportFileError(`${where}: ${field} "${clipText(value, 40)}" is not a valid date`);
}

/** `numbers`: the numbers seen so far, as `project:number` (numbers are unique per project). */
function checkTask(task: PlannedTask, index: number, numbers: Set<string>) {
  const where = taskName(task, index);
  const title = task.title.trim();
  if (title.length === 0 || title.length > TASK_TITLE_MAX)
    throw new ImportFileError(`${where}: a title needs 1 to ${TASK_TITLE_MAX} characters`);
  if (task.description.length > TASK_DESCRIPTION_MAX)
    throw new ImportFileError(`${where}: the description is longer than ${TASK_DESCRIPTION_MAX} characters`);
  if (task.number !== null) {
    if (!Number.isInteger(task.number) || task.number < 1 || task.number > MAX_INT)
      throw new ImportFileError(`${where}: number ${task.number} is not a whole number from 1 to ${MAX_INT}`);
    const place = `${task.projectRef ?? ""}:${task.number}`;
    if (numbers.has(place)) throw new ImportFileError(`Task number ${task.number} appears more than once`);
    numbers.add(place);
  }
  if (task.rank !== null && !isValidRank(task.rank))
    throw new ImportFileError(`${where}: rank "${clipText(task.rank, 40)}" is not a valid board position`);
  checkDates(where, { createdAt: task.createdAt, updatedAt: task.updatedAt });
  for (const comment of task.comments) {
    if (comment.body.length > COMMENT_BODY_MAX)
      throw new ImportFileError(`${where}: a comment is longer than ${COMMENT_BODY_MAX} characters`);
    checkDates(`${where}, a comment`, { createdAt: comment.createdAt, editedAt: comment.editedAt });
  }
  for (const entry of task.activity ?? []) checkDates(`${where}, its history`, { createdAt: entry.createdAt });
}

/**
 * Refuses a plan the database could not store as given, before anything is written (and in a
 * dry run): text with NUL or unpaired surrogates (also when the file escaped them in JSON),
 * invalid dates, numbers past a Postgres integer, repeated task ids, numbers or tag ids,
 * malformed ranks, and names, colours, titles, descriptions or comments the API would refuse.
 * A file that passes is written without a database error of its own making.
 */
export function assertStorable(plan: ImportPlan): void {
  // Before the text scan, which recurses: the message names the task by place, its text unchecked yet.
  plan.tasks.forEach((task, index) => {
    if (task.activity && nestsDeeperThan(task.activity, MAX_CHANGE_DEPTH))
      throw new ImportFileError(`Task ${index + 1}: its history nests values too deeply`);
  });
  const unsafe = findUnsafeText(plan);
  if (unsafe !== null) throw new ImportFileError(`The file's text at ${unsafe || "its root"} ${UNSAFE_TEXT_MESSAGE}`);
  checkTags("Label", plan.labels);
  checkTags("Category", plan.categories);
  const keys = new Set<string>();
  const numbers = new Set<string>();
  plan.tasks.forEach((task, index) => {
    if (keys.has(task.key)) throw new ImportFileError(`Task id "${clipText(task.key, 64)}" appears more than once`);
    keys.add(task.key);
    checkTask(task, index, numbers);
  });
  for (const relation of plan.relations ?? []) checkDates("A relation", { createdAt: relation.createdAt });
}
