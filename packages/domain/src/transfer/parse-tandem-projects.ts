import {
  findUnsafeText,
  TAG_COLOR_PATTERN,
  type TStateCategory,
  type TTandemExport,
  ZProjectKey,
} from "@tandem/contracts";
import { DEFAULT_STATES } from "../projects/defaults.ts";
import { clipText, ImportFileError, type PlannedProject, type PlannedRelation } from "./plan.ts";

/** What a project's workflow cannot do without (the state routes refuse to delete the last of these). */
const REQUIRED: TStateCategory[] = ["unstarted", "completed"];

const NAME_MAX = 120;

function cleanName(raw: string, what: string): string {
  const name = clipText(raw.trim(), NAME_MAX);
  if (!name) throw new ImportFileError(`${what} has no name`);
  if (findUnsafeText(name))
    throw new ImportFileError(`${what} "${name.slice(0, 40)}" has characters that cannot be stored`);
  return name;
}

function cleanDescription(raw: string, key: string): string {
  const description = clipText(raw, 10_000);
  if (findUnsafeText(description))
    throw new ImportFileError(`Project ${key}'s description has characters that cannot be stored`);
  return description;
}

const colorOr = (color: string | undefined, fallback: string | null) =>
  color && TAG_COLOR_PATTERN.test(color) ? color : fallback;

/**
 * The export's projects with their workflows, checked as the project and state routes check
 * them: keys as `ZProjectKey` and unique, names present, and a workflow that has the categories
 * a project cannot lose (a missing one gets its default state, with a warning).
 */
export function planProjects(data: TTandemExport, warnings: string[]): PlannedProject[] {
  const seen = new Set<string>();
  return (data.projects ?? []).map((project) => {
    const key = ZProjectKey.safeParse(project.key);
    if (!key.success) throw new ImportFileError(`Project key "${project.key.slice(0, 20)}" is not a valid key`);
    if (seen.has(key.data)) throw new ImportFileError(`Project key "${key.data}" appears more than once`);
    seen.add(key.data);
    const states = project.states.map((state) => ({
      key: state.id,
      name: cleanName(state.name, `A state of ${key.data}`),
      color: colorOr(state.color, "#64748b") as string,
      category: state.category,
    }));
    for (const category of REQUIRED)
      if (!states.some((state) => state.category === category)) {
        const fallback = DEFAULT_STATES.find((state) => state.category === category);
        if (!fallback) continue;
        warnings.push(`Project ${key.data} had no ${category} state; "${fallback.name}" was added`);
        states.push({ key: `default:${category}`, ...fallback });
      }
    return {
      key: project.id,
      projectKey: key.data,
      name: cleanName(project.name, `Project ${key.data}`),
      description: cleanDescription(project.description ?? "", key.data),
      color: colorOr(project.color, null),
      states,
    };
  });
}

/** The export's relations between tasks it holds (one naming a missing task is left out, with a warning). */
export function planRelations(data: TTandemExport, taskIds: Set<string>, warnings: string[]): PlannedRelation[] {
  const relations: PlannedRelation[] = [];
  let dropped = 0;
  const seen = new Set<string>();
  for (const relation of data.relations ?? []) {
    const { fromTaskId: from, toTaskId: to, type } = relation;
    const id = `${type}:${from}:${to}`;
    if (from === to || !taskIds.has(from) || !taskIds.has(to) || seen.has(id)) {
      dropped++;
      continue;
    }
    seen.add(id);
    relations.push({ fromKey: from, toKey: to, type, createdAt: relation.createdAt });
  }
  if (dropped > 0) warnings.push(`${dropped} relation(s) name a task that is not in the file, or repeat; left out`);
  return relations;
}
