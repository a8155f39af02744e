import { type TTandemExport, ZTandemExport } from "@tandem/contracts";
import { planProjects, planRelations } from "./parse-tandem-projects.ts";
import { groupBy, ImportFileError, type ImportPlan, MAX_IMPORT_TASKS, type PlannedTask, parentsFirst } from "./plan.ts";

/** A Tandem export (SPEC §15) as a plan: everything it holds, numbers, ranks and history kept. */
export function planTandemExport(text: string): ImportPlan {
  let data: TTandemExport;
  try {
    const parsed = ZTandemExport.safeParse(JSON.parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ImportFileError(
        `Not a Tandem export: ${issue?.path.join(".") || "file"} ${issue?.message ?? ""}`.trim(),
      );
    }
    data = parsed.data;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError("Not a Tandem export: the file is not JSON");
  }
  if (data.tasks.length > MAX_IMPORT_TASKS) throw new ImportFileError(`At most ${MAX_IMPORT_TASKS} tasks per import`);
  const warnings: string[] = [];
  const emailOf = new Map(data.members.map((member) => [member.id, member.email]));
  const nameOf = new Map(data.members.map((member) => [member.id, member.name]));
  const email = (userId: string | null) => (userId ? (emailOf.get(userId) ?? null) : null);
  const comments = groupBy(data.comments, (comment) => comment.taskId);
  const activity = groupBy(data.activity, (entry) => entry.taskId);
  const taskIds = new Set(data.tasks.map((task) => task.id));
  // Checked here, not with the plan: ordering parents first would silently drop a repeat.
  if (taskIds.size !== data.tasks.length) {
    const seen = new Set<string>();
    const repeated = data.tasks.find((task) => seen.size === seen.add(task.id).size);
    throw new ImportFileError(`Task id "${[...(repeated?.id ?? "")].slice(0, 64).join("")}" appears more than once`);
  }
  const projects = planProjects(data, warnings);
  const projectIds = new Set(projects.map((project) => project.key));
  const stateNames = new Map(projects.flatMap((project) => project.states.map((s) => [s.key, s.name])));
  const tasks: PlannedTask[] = data.tasks.map((task) => ({
    key: task.id,
    stateName: task.stateId ? (stateNames.get(task.stateId) ?? null) : null,
    projectRef: task.projectId && projectIds.has(task.projectId) ? task.projectId : null,
    stateRef: task.stateId && stateNames.has(task.stateId) ? task.stateId : null,
    startDate: task.startDate ?? null,
    dueDate: task.dueDate ?? null,
    estimate: task.estimate ?? null,
    number: task.number,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    visibility: task.visibility,
    categoryKey: task.categoryId,
    parentKey: task.parentId && taskIds.has(task.parentId) ? task.parentId : null,
    labelKeys: task.labelIds,
    assigneeEmails: task.assigneeIds.flatMap((id) => email(id) ?? []),
    externalAssignees: task.externalAssignees,
    rank: task.rank,
    createdByEmail: email(task.createdBy),
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    comments: (comments.get(task.id) ?? []).map((comment) => ({
      body: comment.body,
      authorEmail: email(comment.authorId),
      authorName: comment.authorId ? (nameOf.get(comment.authorId) ?? null) : null,
      externalAuthor: comment.externalAuthor,
      createdAt: comment.createdAt,
      editedAt: comment.editedAt,
    })),
    activity: (activity.get(task.id) ?? []).map((entry) => ({
      actorEmail: email(entry.actorId),
      actorType: entry.actorType,
      actorKey: entry.actorKey,
      action: entry.action,
      changes: entry.changes,
      createdAt: entry.createdAt,
    })),
  }));
  if (data.attachments.length > 0)
    warnings.push(
      `${data.attachments.length} attachment(s) are listed with their links but their files are not copied`,
    );
  return {
    labels: data.labels.map((label) => ({ key: label.id, name: label.name, color: label.color })),
    categories: data.categories.map((category) => ({ key: category.id, name: category.name, color: category.color })),
    tasks: parentsFirst(tasks, warnings),
    warnings,
    projects,
    relations: planRelations(data, taskIds, warnings),
  };
}
