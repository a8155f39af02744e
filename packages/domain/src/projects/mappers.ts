import type { TProject, TProjectWithStates, TWorkflowState } from "@tandem/contracts";
import type { ProjectRow, StateRow } from "@tandem/database";

const iso = (date: Date) => date.toISOString();

export function toStateDto(row: StateRow): TWorkflowState {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    color: row.color,
    category: row.category,
    position: row.position,
  };
}

export function toProjectDto(row: ProjectRow): TProject {
  return {
    id: row.id,
    orgId: row.orgId,
    key: row.key,
    name: row.name,
    description: row.description,
    color: row.color,
    icon: row.icon,
    archived: row.archived,
    publicBoard: row.publicBoard,
    publicFields: row.publicFields,
    position: row.position,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** A project with its states in column order (`states` may hold other projects' too). */
export function toProjectWithStatesDto(row: ProjectRow, states: StateRow[]): TProjectWithStates {
  return {
    ...toProjectDto(row),
    states: states
      .filter((state) => state.projectId === row.id)
      .sort((a, b) => a.position - b.position)
      .map(toStateDto),
  };
}
