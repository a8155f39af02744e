import { STATE_CATEGORIES } from "@tandem/contracts";
import {
  deleteStateRow,
  insertImportItems,
  insertProject,
  insertStates,
  listProjects,
  listStates,
  type ProjectRow,
  releaseFormerKey,
  type StateRow,
  updateProjectRow,
  updateStateRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { type Ctx, type TxCtx, withTransaction } from "../context.ts";
import { DEFAULT_STATES } from "../projects/defaults.ts";
import { toProjectDto, toStateDto } from "../projects/mappers.ts";
import { recordEvent } from "../record-event.ts";
import type { ImportPlan, PlannedProject, PlannedState } from "./plan.ts";

type Item = { sourceKey: string; targetId: string };

const sameState = (planned: PlannedState, row: StateRow) =>
  row.name.toLowerCase() === planned.name.toLowerCase() && row.category === planned.category;

/**
 * Writes a Tandem export's projects, in one transaction recorded with the import (a resumed
 * import skips it). A key the org lacks becomes a new project with the exported workflow. A key
 * it has takes that project's tasks: on a restore (the org had no task at all) the project is
 * made like the exported one (name, description, colour, and its states matched by name and
 * category, the missing ones added, the others removed); otherwise it is left as it is and
 * tasks go to its states of the same name and category, or by their status.
 */
export async function writeProjects(
  ctx: Ctx,
  importId: string,
  plan: ImportPlan,
  written: Map<string, string>,
  restore: boolean,
): Promise<void> {
  const planned = (plan.projects ?? []).filter((project) => !written.has(`project:${project.key}`));
  if (planned.length === 0) return;
  await withTransaction(ctx, async (tx) => {
    const existing = await listProjects(tx.tx, { orgId: tx.org.id });
    let position = Math.max(-1, ...existing.map((project) => project.position)) + 1;
    const items: Item[] = [];
    for (const source of planned) {
      const found = existing.find((project) => project.key === source.projectKey);
      let pairs: [PlannedState, StateRow | undefined][];
      let project: ProjectRow;
      if (!found) {
        project = await createProject(tx, source, position++);
        pairs = await addStates(
          tx,
          project.id,
          source.states.map((planned, at) => ({ planned, position: at })),
        );
      } else if (restore) {
        project = await reshapeProject(tx, found, source);
        pairs = await reshapeStates(tx, found.id, source.states);
      } else {
        project = found;
        const states = await listStates(tx.tx, { orgId: tx.org.id, projectIds: [found.id] });
        pairs = source.states.map((state) => [state, states.find((row) => sameState(state, row))]);
      }
      items.push({ sourceKey: `project:${source.key}`, targetId: project.id });
      for (const [state, row] of pairs) if (row) items.push({ sourceKey: `state:${state.key}`, targetId: row.id });
    }
    await insertImportItems(tx.tx, { importId, items });
    for (const item of items) written.set(item.sourceKey, item.targetId);
  });
}

async function createProject(tx: TxCtx, source: PlannedProject, position: number): Promise<ProjectRow> {
  await releaseFormerKey(tx.tx, { orgId: tx.org.id, key: source.projectKey });
  const project = await insertProject(tx.tx, {
    id: newId("prj"),
    orgId: tx.org.id,
    key: source.projectKey,
    name: source.name,
    description: source.description,
    ...(source.color ? { color: source.color } : {}),
    createdBy: tx.actor.userId,
    position,
  });
  await recordEvent(tx, { type: "CREATE_PROJECT", payload: { project: toProjectDto(project) } });
  return project;
}

async function reshapeProject(tx: TxCtx, found: ProjectRow, source: PlannedProject): Promise<ProjectRow> {
  const values = {
    name: source.name,
    description: source.description,
    ...(source.color ? { color: source.color } : {}),
  };
  const project = (await updateProjectRow(tx.tx, { orgId: tx.org.id, id: found.id, values })) ?? found;
  await recordEvent(tx, { type: "UPDATE_PROJECT", payload: { project: toProjectDto(project) } });
  return project;
}

/** Inserts states at their positions, one CREATE_STATE each. */
async function addStates(
  tx: TxCtx,
  projectId: string,
  placed: { planned: PlannedState; position: number }[],
): Promise<[PlannedState, StateRow][]> {
  const rows = await insertStates(tx.tx, {
    orgId: tx.org.id,
    rows: placed.map(({ planned, position }) => ({
      id: newId("wst"),
      projectId,
      name: planned.name,
      color: planned.color,
      category: planned.category,
      position,
    })),
  });
  for (const row of rows) await recordEvent(tx, { type: "CREATE_STATE", payload: { state: toStateDto(row) } });
  return placed.map(({ planned }, i) => [planned, rows[i] as StateRow]);
}

/**
 * The project's states made the exported ones, in their order: a state of the same name and
 * category is kept (recoloured, moved), the missing ones are added and the rest removed (a
 * restore runs on an org without tasks, so no task is left on a removed state).
 */
async function reshapeStates(
  tx: TxCtx,
  projectId: string,
  planned: PlannedState[],
): Promise<[PlannedState, StateRow | undefined][]> {
  const current = await listStates(tx.tx, { orgId: tx.org.id, projectIds: [projectId] });
  const unmatched = new Set(current);
  const pairs: [PlannedState, StateRow | undefined][] = [];
  const missing: { planned: PlannedState; position: number }[] = [];
  for (const [position, state] of planned.entries()) {
    const row = [...unmatched].find((candidate) => sameState(state, candidate));
    if (!row) {
      missing.push({ planned: state, position });
      pairs.push([state, undefined]);
      continue;
    }
    unmatched.delete(row);
    const updated =
      (await updateStateRow(tx.tx, {
        orgId: tx.org.id,
        id: row.id,
        values: { name: state.name, color: state.color, position },
      })) ?? row;
    await recordEvent(tx, { type: "UPDATE_STATE", payload: { state: toStateDto(updated) } });
    pairs.push([state, updated]);
  }
  const added = new Map((await addStates(tx, projectId, missing)).map(([state, row]) => [state, row]));
  for (const row of unmatched) {
    await deleteStateRow(tx.tx, { orgId: tx.org.id, id: row.id });
    await recordEvent(tx, { type: "DELETE_STATE", payload: { state: toStateDto(row), movedTo: null } });
  }
  return pairs.map(([state, row]) => [state, row ?? added.get(state)]);
}

/** A column name compared loosely: "To Do" is "Todo", "Done ✅" is "Done". */
const loose = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/**
 * Makes the plan's columns (a Trello board's lists) states of the project tasks go to: a state
 * of the same name (loosely) and category takes a column; a column without one becomes a new
 * state, placed after the project's states of its category. One transaction, recorded with the
 * import (a resumed import skips it).
 */
export async function writeColumns(
  ctx: Ctx,
  importId: string,
  plan: ImportPlan,
  written: Map<string, string>,
  projectId: string,
): Promise<void> {
  const wanted = (plan.columns ?? []).filter((column) => !written.has(`state:${column.key}`));
  if (wanted.length === 0) return;
  await withTransaction(ctx, async (tx) => {
    const order = await listStates(tx.tx, { orgId: tx.org.id, projectIds: [projectId] });
    const items: Item[] = [];
    const added: PlannedState[] = [];
    for (const column of wanted) {
      const row = order.find((state) => loose(state.name) === loose(column.name) && state.category === column.category);
      if (row) items.push({ sourceKey: `state:${column.key}`, targetId: row.id });
      else if (!added.some((state) => loose(state.name) === loose(column.name) && state.category === column.category))
        added.push({
          ...column,
          color: DEFAULT_STATES.find((d) => d.category === column.category)?.color ?? "#64748b",
        });
    }
    // The new states go after the last of their category (or where their category would start).
    const rank = (category: string) => STATE_CATEGORIES.indexOf(category as (typeof STATE_CATEGORIES)[number]);
    const columns: (StateRow | PlannedState)[] = [...order];
    for (const state of added) {
      const after = columns.findLastIndex((other) => rank(other.category) <= rank(state.category));
      columns.splice(after + 1, 0, state);
    }
    const placed: { planned: PlannedState; position: number }[] = [];
    for (const [position, column] of columns.entries()) {
      if (!("id" in column)) {
        placed.push({ planned: column, position });
        continue;
      }
      if (column.position === position) continue;
      const moved = await updateStateRow(tx.tx, { orgId: tx.org.id, id: column.id, values: { position } });
      if (moved) await recordEvent(tx, { type: "UPDATE_STATE", payload: { state: toStateDto(moved) } });
    }
    for (const [planned, row] of await addStates(tx, projectId, placed))
      items.push({ sourceKey: `state:${planned.key}`, targetId: row.id });
    // Columns of one name and category share the state made for the first of them.
    for (const column of wanted) {
      if (items.some((item) => item.sourceKey === `state:${column.key}`)) continue;
      const twin = wanted.find(
        (other) => loose(other.name) === loose(column.name) && other.category === column.category,
      );
      const id = items.find((item) => item.sourceKey === `state:${twin?.key}`)?.targetId;
      if (id) items.push({ sourceKey: `state:${column.key}`, targetId: id });
    }
    await insertImportItems(tx.tx, { importId, items });
    for (const item of items) written.set(item.sourceKey, item.targetId);
  });
}
