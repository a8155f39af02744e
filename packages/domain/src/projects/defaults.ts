import type { TStateCategory } from "@tandem/contracts";
import { insertProject, insertStates, type ProjectRow, type StateRow, type Transaction } from "@tandem/database";
import { newId } from "@tandem/util";

/** SPEC §13: every new project starts with these five states, one per category. */
export const DEFAULT_STATES: readonly { name: string; color: string; category: TStateCategory }[] = [
  { name: "Backlog", color: "#94a3b8", category: "backlog" },
  { name: "Todo", color: "#64748b", category: "unstarted" },
  { name: "In progress", color: "#f59e0b", category: "started" },
  { name: "Done", color: "#22c55e", category: "completed" },
  { name: "Canceled", color: "#ef4444", category: "canceled" },
];

/** Inserts a project and its five default states (no event: the caller records it). */
export async function insertProjectWithDefaults(
  tx: Transaction,
  values: {
    orgId: string;
    key: string;
    name: string;
    createdBy: string | null;
    position?: number;
    description?: string;
    color?: string;
    icon?: string | null;
  },
): Promise<{ project: ProjectRow; states: StateRow[] }> {
  const project = await insertProject(tx, { id: newId("prj"), ...values });
  const states = await insertStates(tx, {
    orgId: values.orgId,
    rows: DEFAULT_STATES.map((state, position) => ({
      id: newId("wst"),
      projectId: project.id,
      ...state,
      position,
    })),
  });
  return { project, states };
}
