import { mentionedUserIds, type TEventPayload, type TNotificationKind, type TTask } from "@tandem/contracts";
import type { EventRow } from "@tandem/database";
import type { NotifyBatchState } from "./batch-state.ts";

/** One notification the event asks for, before preferences and collapsing. */
export type Wanted = {
  userId: string;
  kind: TNotificationKind;
  taskId: string;
  commentId: string | null;
  /** The change, said from the recipient's side ("assigned you to"); the actor's name comes first. */
  verb: string;
  excerpt: string;
};

/** What the notifier knows of the org while it reads a batch of its events. */
export type OrgView = {
  orgId: string;
  members: Map<string, string>;
  /** Workflow state names by id (a move names the column the task went to). */
  stateNames: Map<string, string>;
  /** The org's completed and canceled states: a task in one needs no due-date reminder. */
  finishedStates: Set<string>;
};

const STATUS_NAMES: Record<TTask["status"], string> = {
  backlog: "Backlog",
  todo: "Todo",
  in_progress: "In progress",
  done: "Done",
  canceled: "Canceled",
};

const excerptOf = (markdown: string) => (markdown.length > 2000 ? `${markdown.slice(0, 2000)}…` : markdown);

/** Mentioned users who are members: a mention of anyone else is ignored (it reveals nothing). */
function memberMentions(view: OrgView, markdown: string): string[] {
  return mentionedUserIds(markdown).filter((id) => view.members.has(id));
}

/**
 * A created task tells its assignees and mentioned members; an update tells what its payload
 * says changed: new assignees, new mentions, and every watcher of a move to another state.
 */
function taskChanged(
  state: NotifyBatchState,
  view: OrgView,
  task: TTask,
  change: Omit<TEventPayload<"UPDATE_TASK">, "task"> | null,
): Wanted[] {
  const previous = change?.previous ?? {};
  state.saw(task);
  // Reminders for a new date, or for a date whose task was finished and is open again.
  const finished = (stateId: string | undefined) => stateId !== undefined && view.finishedStates.has(stateId);
  const reopened = previous.stateId !== undefined && finished(previous.stateId);
  if (task.dueDate && !finished(task.stateId) && (!change || previous.dueDate !== undefined || reopened))
    state.remind(task.id, task.dueDate);
  const newAssignees = !change
    ? task.assigneeIds
    : previous.assigneeIds
      ? task.assigneeIds.filter((id) => !previous.assigneeIds?.includes(id))
      : [];
  // Removed assignees keep watching (by row now), as they would in Linear.
  if (previous.assigneeIds)
    state.watch(
      task.id,
      previous.assigneeIds.filter((id) => !task.assigneeIds.includes(id)),
    );
  const newMentions = change
    ? (change.addedMentions ?? []).filter((id) => view.members.has(id))
    : memberMentions(view, task.description);
  state.watch(task.id, newMentions);
  const key = task.key;
  const base = { taskId: task.id, commentId: null, excerpt: "" };
  const wanted: Wanted[] = [
    ...newAssignees.map((userId) => ({
      ...base,
      userId,
      kind: "assigned" as const,
      verb: `assigned you to ${key}: ${task.title}`,
    })),
    ...newMentions.map((userId) => ({
      ...base,
      userId,
      kind: "mentioned" as const,
      verb: `mentioned you in ${key}: ${task.title}`,
      excerpt: excerptOf(task.description),
    })),
  ];
  // The state, not just its category: a move between two columns of one category is news too.
  if (previous.stateId !== undefined && previous.stateId !== task.stateId) {
    const column = view.stateNames.get(task.stateId) ?? STATUS_NAMES[task.status];
    const told = new Set(wanted.map((w) => w.userId));
    for (const userId of state.watching(task.id, told)) {
      wanted.push({
        ...base,
        userId,
        kind: "state_changed",
        verb: `moved ${key} to ${column}: ${task.title}`,
      });
    }
  }
  return wanted;
}

function commented(
  state: NotifyBatchState,
  view: OrgView,
  { comment, taskKey: key, githubMentions = [] }: TEventPayload<"CREATE_COMMENT">,
  actorId: string | null,
): Wanted[] {
  // A mirrored GitHub comment mentions `@login`s: the worker resolved those of linked members.
  const mentions = [
    ...new Set([...memberMentions(view, comment.body), ...githubMentions.filter((id) => view.members.has(id))]),
  ];
  const author = comment.authorId ?? actorId;
  state.watch(comment.taskId, [...(author ? [author] : []), ...mentions]);
  const base = { taskId: comment.taskId, commentId: comment.id, excerpt: excerptOf(comment.body) };
  const wanted: Wanted[] = mentions.map((userId) => ({
    ...base,
    userId,
    kind: "mentioned" as const,
    verb: `mentioned you in a comment on ${key}`,
  }));
  const fromGithub = comment.externalAuthor !== null;
  for (const userId of state.watching(comment.taskId, new Set(mentions))) {
    wanted.push({
      ...base,
      userId,
      kind: fromGithub ? "github_commented" : "commented",
      verb: `commented on ${key}`,
    });
  }
  return wanted;
}

/** An edited comment tells only the members its edit newly mentions (the rest already know). */
function mentionedByEdit(
  state: NotifyBatchState,
  view: OrgView,
  { comment, taskKey: key, addedMentions = [] }: TEventPayload<"UPDATE_COMMENT">,
): Wanted[] {
  const mentions = addedMentions.filter((id) => view.members.has(id));
  if (!mentions.length) return [];
  state.watch(comment.taskId, mentions);
  return mentions.map((userId) => ({
    userId,
    kind: "mentioned" as const,
    taskId: comment.taskId,
    commentId: comment.id,
    verb: `mentioned you in a comment on ${key}`,
    excerpt: excerptOf(comment.body),
  }));
}

/**
 * The notifications one event asks for, and the watchers it adds (creator, assignees,
 * commenters, mentioned members). Who may receive them (members, not the actor, preferences)
 * is decided by the caller.
 */
export function wantedFor(state: NotifyBatchState, view: OrgView, event: EventRow): Wanted[] {
  switch (event.type) {
    case "CREATE_TASK":
      return taskChanged(state, view, event.payload.task, null);
    case "UPDATE_TASK": {
      const { task, ...change } = event.payload;
      return taskChanged(state, view, task, change);
    }
    case "CREATE_COMMENT":
      return commented(state, view, event.payload, event.actorId);
    case "UPDATE_COMMENT":
      return mentionedByEdit(state, view, event.payload);
    // A deleted task or comment needs no one told.
    case "DELETE_TASK":
    case "DELETE_COMMENT":
    // Org, access, taxonomy, files, repos and keys: nothing a watcher is told about.
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
    case "CREATE_ORG":
    case "UPDATE_ORG":
    case "DELETE_ORG":
    case "CREATE_TEAM":
    case "UPDATE_TEAM":
    case "DELETE_TEAM":
    case "CREATE_MEMBER":
    case "UPDATE_MEMBER":
    case "DELETE_MEMBER":
    case "CREATE_INVITE":
    case "UPDATE_INVITE":
    case "CREATE_ATTACHMENT":
    case "DELETE_ATTACHMENT":
    case "CREATE_GITHUB_REPO":
    case "UPDATE_GITHUB_REPO":
    case "DELETE_GITHUB_REPO":
    case "CREATE_API_KEY":
    case "DELETE_API_KEY":
    // An import's progress and outbound webhook settings (imported tasks arrive as CREATE_TASK).
    case "UPDATE_IMPORT":
    case "CREATE_WEBHOOK":
    case "UPDATE_WEBHOOK":
    case "DELETE_WEBHOOK":
    // Projects, workflows, relations and views: their tasks' own events tell the watchers.
    case "CREATE_PROJECT":
    case "UPDATE_PROJECT":
    case "DELETE_PROJECT":
    case "CREATE_STATE":
    case "UPDATE_STATE":
    case "DELETE_STATE":
    case "CREATE_RELATION":
    case "DELETE_RELATION":
    case "CREATE_VIEW":
    case "UPDATE_VIEW":
    case "DELETE_VIEW":
      return [];
    default:
      return event satisfies never;
  }
}
