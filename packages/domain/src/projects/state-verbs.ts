import {
  CATEGORY_STATUS,
  type TCreateStateInput,
  type TUpdateStateInput,
  type TWorkflowState,
  ZCreateStateInput,
} from "@tandem/contracts";
import {
  deleteStateRow,
  insertStates,
  lastRankInState,
  type StateRow,
  tasksInState,
  updateStateRow,
  updateTaskRow,
} from "@tandem/database";
import { newId, rankAfter } from "@tandem/util";
import { actorId, defineMutation, defineQuery, type TxCtx } from "../context.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import { recordEvent } from "../record-event.ts";
import { recordTaskChange } from "../tasks/shared.ts";
import { toStateDto } from "./mappers.ts";
import { lockProjectRef } from "./project-verbs.ts";
import { forgetWorkflow, resolveProject, statesOf } from "./workflow.ts";

/** SPEC §13: a project always has a state of each of these categories. */
const REQUIRED_CATEGORIES = new Set<StateRow["category"]>(["unstarted", "completed"]);

export const listStates = defineQuery<{ projectId: string }, TWorkflowState[]>(
  "state.list",
  null,
  async ({ ctx, input }) => {
    const project = await resolveProject(ctx, input.projectId);
    return (await statesOf(ctx, project.id)).map(toStateDto);
  },
);

/**
 * Renumbers the project's states 0..n-1 in `order` and records UPDATE_STATE for each one whose
 * position changed (besides `skip`, announced by its caller).
 */
async function renumber(ctx: TxCtx, order: StateRow[], skip?: string): Promise<StateRow[]> {
  const out: StateRow[] = [];
  for (const [position, state] of order.entries()) {
    if (state.position === position) {
      out.push(state);
      continue;
    }
    const row = await updateStateRow(ctx.tx, { orgId: ctx.org.id, id: state.id, values: { position } });
    if (!row) throw notFound("State");
    out.push(row);
    if (row.id !== skip) await recordEvent(ctx, { type: "UPDATE_STATE", payload: { state: toStateDto(row) } });
  }
  return out;
}

/** `state` moved to `position` (clamped) among the others, in their current order. */
function placed(states: StateRow[], state: StateRow, position: number): StateRow[] {
  const others = states.filter((s) => s.id !== state.id);
  const at = Math.max(0, Math.min(position, others.length));
  return [...others.slice(0, at), state, ...others.slice(at)];
}

/** A new column: at `position` (others shift right), else last. */
export const createState = defineMutation<{ projectId: string; state: TCreateStateInput }, TWorkflowState>(
  "state.create",
  "admin.manageProjects",
  async ({ ctx, input }) => {
    const wanted = ZCreateStateInput.parse(input.state);
    const project = await lockProjectRef(ctx, input.projectId);
    const states = await statesOf(ctx, project.id);
    const [row] = await insertStates(ctx.tx, {
      orgId: ctx.org.id,
      rows: [
        {
          id: newId("wst"),
          projectId: project.id,
          name: wanted.name,
          color: wanted.color,
          category: wanted.category,
          position: states.length,
        },
      ],
    });
    if (!row) throw new Error("insert state returned nothing");
    forgetWorkflow(ctx);
    const final = await renumber(ctx, placed([...states, row], row, wanted.position ?? states.length), row.id);
    const created = final.find((s) => s.id === row.id) ?? row;
    await recordEvent(ctx, { type: "CREATE_STATE", payload: { state: toStateDto(created) } });
    return toStateDto(created);
  },
);

async function lockState(ctx: TxCtx, projectId: string, stateId: string) {
  const project = await lockProjectRef(ctx, projectId);
  const states = await statesOf(ctx, project.id);
  const state = states.find((s) => s.id === stateId);
  if (!state) throw notFound("State");
  return { project, states, state };
}

/** Rename, recolour, reorder (`position`: the others shift). The category is fixed. */
export const updateState = defineMutation<
  { projectId: string; stateId: string; patch: TUpdateStateInput },
  TWorkflowState
>("state.update", "admin.manageProjects", async ({ ctx, input }) => {
  const { states, state } = await lockState(ctx, input.projectId, input.stateId);
  const { position, ...values } = input.patch;
  let row = state;
  if (Object.keys(values).length > 0) {
    const updated = await updateStateRow(ctx.tx, { orgId: ctx.org.id, id: state.id, values });
    if (!updated) throw notFound("State");
    row = updated;
  }
  forgetWorkflow(ctx);
  if (position !== undefined) {
    const final = await renumber(ctx, placed(states, row, position), row.id);
    row = final.find((s) => s.id === row.id) ?? row;
  }
  await recordEvent(ctx, { type: "UPDATE_STATE", payload: { state: toStateDto(row) } });
  return toStateDto(row);
});

/**
 * Deletes a state, first moving its tasks to `moveTo` (a state of the same project) in this
 * transaction, each appended to the target column with its version bumped and its own
 * UPDATE_TASK. Refused (409) for the last state of a required category, or when the state
 * has tasks and no `moveTo` says where they go.
 */
export const deleteState = defineMutation<
  { projectId: string; stateId: string; moveTo?: string | undefined },
  TWorkflowState
>("state.delete", "admin.manageProjects", async ({ ctx, input }) => {
  const { project, states, state } = await lockState(ctx, input.projectId, input.stateId);
  if (
    REQUIRED_CATEGORIES.has(state.category) &&
    !states.some((s) => s.id !== state.id && s.category === state.category)
  )
    throw conflict(`A project keeps at least one ${state.category} state`);
  const target = input.moveTo ? states.find((s) => s.id === input.moveTo) : undefined;
  if (input.moveTo && (!target || target.id === state.id))
    throw invalid("moveTo", "moveTo must be another state of the same project");
  const tasks = await tasksInState(ctx.tx, { orgId: ctx.org.id, stateId: state.id });
  if (tasks.length > 0 && !target) throw conflict("The state has tasks: say where they go with ?moveTo=");
  if (target) await moveTasks(ctx, tasks, target, project.id);
  await deleteStateRow(ctx.tx, { orgId: ctx.org.id, id: state.id });
  forgetWorkflow(ctx);
  await renumber(
    ctx,
    states.filter((s) => s.id !== state.id),
  );
  await recordEvent(ctx, {
    type: "DELETE_STATE",
    payload: { state: toStateDto(state), movedTo: target?.id ?? null },
  });
  return toStateDto(state);
});

/** Appends the tasks (in their order) to the target column; deleted ones move silently. */
async function moveTasks(
  ctx: TxCtx,
  tasks: Awaited<ReturnType<typeof tasksInState>>,
  target: StateRow,
  projectId: string,
) {
  let rank = await lastRankInState(ctx.tx, { orgId: ctx.org.id, projectId, stateId: target.id });
  const status = CATEGORY_STATUS[target.category];
  for (const before of tasks) {
    rank = rankAfter(rank);
    const after = await updateTaskRow(ctx.tx, {
      orgId: ctx.org.id,
      id: before.id,
      values: { stateId: target.id, status, rank, updatedBy: actorId(ctx) },
    });
    if (before.deletedAt) continue;
    const changes = [];
    if (before.status !== after.status) changes.push({ field: "status", from: before.status, to: after.status });
    changes.push({ field: "stateId", from: before.stateId, to: after.stateId });
    await recordTaskChange(ctx, {
      type: "UPDATE_TASK",
      action: "moved",
      task: after,
      changes,
      wasPublic: before.visibility === "public",
    });
  }
}
