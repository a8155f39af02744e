import { CATEGORY_STATUS, STATUS_CATEGORY, type TStateCategory, type TTask, type TTaskStatus } from "@tandem/contracts";
import {
  defaultProject,
  getProject,
  listProjectStates,
  type ProjectRef,
  type ProjectRow,
  projectKeys,
  type StateRow,
  type TaskRow,
} from "@tandem/database";
import { type Ctx, executor, type TxCtx } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { toTaskDto } from "../mappers.ts";

/**
 * Project keys and workflows, remembered per context (one request, or one transaction): a
 * list or a bulk change reads them once. A verb that changes a key or a workflow forgets them.
 */
const keyMemo = new WeakMap<object, Map<string, string>>();
const stateMemo = new WeakMap<object, Map<string, StateRow[]>>();

export function forgetWorkflow(ctx: Ctx | TxCtx): void {
  keyMemo.delete(ctx);
  stateMemo.delete(ctx);
}

/** The key of a project of the org (a task's key is its project's key and its number). */
export async function projectKeyOf(ctx: Ctx | TxCtx, projectId: string): Promise<string> {
  let keys = keyMemo.get(ctx);
  if (!keys?.has(projectId)) {
    keys = await projectKeys(executor(ctx), { orgId: ctx.org.id });
    keyMemo.set(ctx, keys);
  }
  const key = keys.get(projectId);
  if (key === undefined) throw notFound("Project");
  return key;
}

/** A task's key (`ENG-42`): its project's key and its number. */
export async function taskKeyOf(ctx: Ctx | TxCtx, row: Pick<TaskRow, "projectId" | "number">): Promise<string> {
  return `${await projectKeyOf(ctx, row.projectId)}-${row.number}`;
}

/** A task row as the API shows it, with its project's key. */
export async function taskDto(ctx: Ctx | TxCtx, row: TaskRow): Promise<TTask> {
  return toTaskDto(row, await projectKeyOf(ctx, row.projectId));
}

const KEY = /^[A-Za-z][A-Za-z0-9]{1,9}$/;

/** `:projectId` accepts the id (`prj_…`) or the key (`ENG`, any case). */
export function parseProjectRef(raw: string): ProjectRef {
  return !raw.startsWith("prj_") && KEY.test(raw) ? { key: raw.toUpperCase() } : { id: raw };
}

/** The named project of the org, or (nothing named) its first live one. Another org's: 404. */
export async function resolveProject(ctx: Ctx | TxCtx, raw?: string | null): Promise<ProjectRow> {
  const db = executor(ctx);
  const row = raw
    ? await getProject(db, { orgId: ctx.org.id, ref: parseProjectRef(raw) })
    : await defaultProject(db, { orgId: ctx.org.id });
  if (!row) throw notFound("Project");
  return row;
}

/** A project's states in column order. */
export async function statesOf(ctx: Ctx | TxCtx, projectId: string): Promise<StateRow[]> {
  let memo = stateMemo.get(ctx);
  if (!memo) {
    memo = new Map();
    stateMemo.set(ctx, memo);
  }
  let states = memo.get(projectId);
  if (!states) {
    states = await listProjectStates(executor(ctx), { orgId: ctx.org.id, projectId });
    memo.set(projectId, states);
  }
  return states;
}

/** The project's first state (by position) of a category. */
export function firstOfCategory(states: StateRow[], category: TStateCategory): StateRow | undefined {
  return states.find((state) => state.category === category);
}

/**
 * The state a task goes to: `stateId` (one of the project's), else the first state of the
 * category `status` names (or the task's `current` state when it already has that category),
 * else the first `unstarted` one. The task's `status` is then the state's category.
 */
export function pickState(
  states: StateRow[],
  wanted: { stateId?: string | null | undefined; status?: TTaskStatus | null | undefined },
  current?: string,
): { stateId: string; status: TTaskStatus; state: StateRow } {
  let state: StateRow | undefined;
  const kept = current ? states.find((s) => s.id === current) : undefined;
  if (!wanted.stateId && wanted.status && kept?.category === STATUS_CATEGORY[wanted.status]) {
    state = kept;
  } else if (wanted.stateId) {
    state = states.find((s) => s.id === wanted.stateId);
    if (!state) throw invalid("stateId", "Unknown state for this project");
    if (wanted.status && STATUS_CATEGORY[wanted.status] !== state.category)
      throw invalid("status", "The status does not match the state's category");
  } else {
    const category = STATUS_CATEGORY[wanted.status ?? "todo"];
    state = firstOfCategory(states, category);
    if (!state) throw invalid("status", `The project has no state of category ${category}`);
  }
  return { stateId: state.id, status: CATEGORY_STATUS[state.category], state };
}
