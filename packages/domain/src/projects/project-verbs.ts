import {
  type TCreateProjectInput,
  type TProjectWithStates,
  type TUpdateProjectInput,
  ZCreateProjectInput,
} from "@tandem/contracts";
import {
  appendEvent,
  deleteProjectRow,
  listProjects as listProjectRows,
  listStates,
  liveTasksOfProject,
  lockProject,
  type ProjectRow,
  releaseFormerKey,
  updateProjectRow,
} from "@tandem/database";
import { defineMutation, defineQuery, type TxCtx } from "../context.ts";
import { conflict, isUniqueViolation, notFound } from "../errors.ts";
import { toTaskDto } from "../mappers.ts";
import { recordEvent, toNewEvent } from "../record-event.ts";
import { removeTaskRelations } from "../relations/remove.ts";
import { insertProjectWithDefaults } from "./defaults.ts";
import { toProjectDto, toProjectWithStatesDto } from "./mappers.ts";
import { forgetWorkflow, parseProjectRef, resolveProject, statesOf } from "./workflow.ts";

const keyTaken = (error: unknown): never => {
  if (isUniqueViolation(error)) throw conflict("Another project of the organization has that key");
  throw error;
};

/** Locks the project `raw` names (id or key) for a change; another org's is NOT_FOUND. */
export async function lockProjectRef(ctx: TxCtx, raw: string): Promise<ProjectRow> {
  const row = await lockProject(ctx.tx, { orgId: ctx.org.id, ref: parseProjectRef(raw) });
  if (!row) throw notFound("Project");
  return row;
}

/** The org's projects in board order, each with its states (what the board draws columns from). */
export const listProjects = defineQuery<void, TProjectWithStates[]>("project.list", null, async ({ ctx }) => {
  const [projects, states] = await Promise.all([
    listProjectRows(ctx.db, { orgId: ctx.org.id }),
    listStates(ctx.db, { orgId: ctx.org.id }),
  ]);
  return projects.map((project) => toProjectWithStatesDto(project, states));
});

export const getProject = defineQuery<{ projectId: string }, TProjectWithStates>(
  "project.get",
  null,
  async ({ ctx, input }) => {
    const project = await resolveProject(ctx, input.projectId);
    return toProjectWithStatesDto(project, await statesOf(ctx, project.id));
  },
);

/** A new project with the default workflow, placed after the others. */
export const createProject = defineMutation<TCreateProjectInput, TProjectWithStates>(
  "project.create",
  "admin.manageProjects",
  async ({ ctx, input: raw }) => {
    const input = ZCreateProjectInput.parse(raw);
    const existing = await listProjectRows(ctx.tx, { orgId: ctx.org.id });
    const position = Math.max(-1, ...existing.map((p) => p.position)) + 1;
    await releaseFormerKey(ctx.tx, { orgId: ctx.org.id, key: input.key });
    const { project, states } = await insertProjectWithDefaults(ctx.tx, {
      orgId: ctx.org.id,
      key: input.key,
      name: input.name,
      description: input.description,
      ...(input.color ? { color: input.color } : {}),
      icon: input.icon ?? null,
      createdBy: ctx.actor.userId,
      position,
    }).catch(keyTaken);
    const dto = toProjectWithStatesDto(project, states);
    await recordEvent(ctx, { type: "CREATE_PROJECT", payload: { project: toProjectDto(project) } });
    for (const state of dto.states) await recordEvent(ctx, { type: "CREATE_STATE", payload: { state } });
    return dto;
  },
);

/** Name, key (its tasks' keys follow; unique in the org), look, archive, public board, order. */
export const updateProject = defineMutation<{ projectId: string; patch: TUpdateProjectInput }, TProjectWithStates>(
  "project.update",
  "admin.manageProjects",
  async ({ ctx, input }) => {
    const before = await lockProjectRef(ctx, input.projectId);
    if (input.patch.archived && !before.archived) await refuseLastLive(ctx, before, "archive");
    const { key } = input.patch;
    const renamed = key !== undefined && key !== before.key;
    // The old key keeps resolving (`OLD-42`) until another project takes it.
    if (renamed) await releaseFormerKey(ctx.tx, { orgId: ctx.org.id, key });
    const values = renamed
      ? { ...input.patch, formerKeys: [...before.formerKeys.filter((k) => k !== key), before.key] }
      : input.patch;
    const row = await updateProjectRow(ctx.tx, { orgId: ctx.org.id, id: before.id, values }).catch(keyTaken);
    if (!row) throw notFound("Project");
    forgetWorkflow(ctx);
    await recordEvent(ctx, { type: "UPDATE_PROJECT", payload: { project: toProjectDto(row) } });
    return toProjectWithStatesDto(row, await statesOf(ctx, row.id));
  },
);

/** An org keeps at least one live project: new tasks land in the first one. */
async function refuseLastLive(ctx: TxCtx, project: ProjectRow, verb: "archive" | "delete") {
  const others = (await listProjectRows(ctx.tx, { orgId: ctx.org.id })).filter(
    (p) => p.id !== project.id && !p.archived,
  );
  if (others.length === 0) throw conflict(`Cannot ${verb} the organization's last project`);
}

/**
 * Deletes the project and its tasks (as Linear deletes a team with its issues): each live task
 * is announced with its own DELETE_TASK (public boards and clients drop it), then
 * DELETE_PROJECT. Refused for the org's last live project; archive a project to keep its tasks.
 */
export const deleteProject = defineMutation<{ projectId: string }, TProjectWithStates>(
  "project.delete",
  "admin.manageProjects",
  async ({ ctx, input }) => {
    const project = await lockProjectRef(ctx, input.projectId);
    await refuseLastLive(ctx, project, "delete");
    const states = await statesOf(ctx, project.id);
    const tasks = await liveTasksOfProject(ctx.tx, { orgId: ctx.org.id, projectId: project.id });
    const dto = toProjectWithStatesDto(project, states);
    for (const task of tasks) {
      // Its relations go too, each told (a task of another project may have been linked to it).
      await removeTaskRelations(ctx, task.id);
      // No activity row: the task's history goes with it.
      const event = { type: "DELETE_TASK" as const, payload: { task: toTaskDto(task, project.key) } };
      await appendEvent(ctx.tx, toNewEvent(ctx, event, task.visibility === "public"));
    }
    await deleteProjectRow(ctx.tx, { orgId: ctx.org.id, id: project.id });
    await recordEvent(ctx, { type: "DELETE_PROJECT", payload: { project: toProjectDto(project) } });
    forgetWorkflow(ctx);
    return dto;
  },
);
