import {
  allocateProjectNumbers,
  listProjects,
  listStates,
  type ProjectRow,
  type StateRow,
  takenTaskNumbers,
} from "@tandem/database";
import type { Ctx, TxCtx } from "../context.ts";
import { groupBy, type PlannedTask } from "./plan.ts";

/** Where an import's tasks go: the org's projects, and what this import has written so far. */
export type Target = { project: ProjectRow; states: StateRow[] };
export type Lookup = {
  /** The org's projects with their workflows, by id. */
  targets: Map<string, Target>;
  /** Where a task without a project of the file goes: the org's first project. */
  fallbackId: string;
  /** Source key → row written, for this import (labels, categories, projects, states, tasks). */
  written: Map<string, string>;
  userByEmail: Map<string, string>;
  keepNumbers: boolean;
  lastRank: Map<string, string | null>;
};

/** The org's projects with their workflows, by id (read once the import's projects are written). */
export async function targetsOf(ctx: Ctx): Promise<Map<string, Target>> {
  const [projects, states] = await Promise.all([
    listProjects(ctx.db, { orgId: ctx.org.id }),
    listStates(ctx.db, { orgId: ctx.org.id }),
  ]);
  return new Map(
    projects.map((project) => [project.id, { project, states: states.filter((s) => s.projectId === project.id) }]),
  );
}

/** The project a planned task goes to: its project in the file when written here, else the fallback. */
export function targetOf(planned: PlannedTask, lookup: Lookup): Target {
  const id = planned.projectRef ? lookup.written.get(`project:${planned.projectRef}`) : undefined;
  const target = lookup.targets.get(id ?? lookup.fallbackId) ?? lookup.targets.get(lookup.fallbackId);
  if (!target) throw new Error("the import's target project is gone");
  return target;
}

/**
 * Each task's number in its project: the file's when restoring (a clash takes a fresh one),
 * otherwise fresh ones in file order.
 */
export async function numbersFor(tx: TxCtx, batch: PlannedTask[], lookup: Lookup): Promise<number[]> {
  const numbers: number[] = [];
  const byProject = groupBy([...batch.entries()], ([, task]) => targetOf(task, lookup).project.id);
  for (const [projectId, entries] of byProject) {
    const scope = { orgId: tx.org.id, projectId };
    if (lookup.keepNumbers) {
      const taken = await takenTaskNumbers(tx.tx, scope);
      const clashes = entries.filter(([, task]) => task.number === null || taken.has(task.number)).length;
      let fresh = clashes > 0 ? await allocateProjectNumbers(tx.tx, { ...scope, count: clashes }) : 0;
      for (const [i, task] of entries)
        numbers[i] = task.number !== null && !taken.has(task.number) ? task.number : fresh++;
    } else {
      let next = await allocateProjectNumbers(tx.tx, { ...scope, count: entries.length });
      for (const [i] of entries) numbers[i] = next++;
    }
  }
  return numbers;
}
