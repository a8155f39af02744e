import { mentionedUserIds, type TActivityChange, type TEventPayload, type TTask } from "@tandem/contracts";

/**
 * UPDATE_TASK's payload: the task as it is now, the earlier values of the fields people are told
 * about (its state, assignees and due date, each only when it changed) and the members its
 * description newly mentions. The notifier reads what changed from here, so it keeps no copy
 * of every task of its own.
 */
export function updatePayload(task: TTask, changes: TActivityChange[]): TEventPayload<"UPDATE_TASK"> {
  const previous: NonNullable<TEventPayload<"UPDATE_TASK">["previous"]> = {};
  let addedMentions: string[] | undefined;
  for (const { field, from, to } of changes) {
    if (field === "stateId" && typeof from === "string") previous.stateId = from;
    else if (field === "assigneeIds" && Array.isArray(from)) previous.assigneeIds = from.map(String);
    else if (field === "dueDate") previous.dueDate = typeof from === "string" ? from : null;
    else if (field === "description") {
      const before = new Set(mentionedUserIds(typeof from === "string" ? from : ""));
      const added = mentionedUserIds(typeof to === "string" ? to : "").filter((id) => !before.has(id));
      if (added.length) addedMentions = [...new Set(added)];
    }
  }
  return {
    task,
    ...(Object.keys(previous).length ? { previous } : {}),
    ...(addedMentions ? { addedMentions } : {}),
  };
}
