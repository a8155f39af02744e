import type { TActivity, TActivityChange, TMember, TTag } from "@tandem/contracts";
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { PRIORITY_LABELS, STATUS_LABELS } from "../../lib/board-model.ts";
import { keys } from "../../lib/queries.ts";
import { RelativeTime } from "./relative-time.tsx";

type Names = { member: (id: string) => string; label: (id: string) => string; category: (id: string) => string };

const ACTIONS: Record<string, string> = {
  created: "created the task",
  deleted: "deleted the task",
  commented: "commented",
  comment_edited: "edited a comment",
  comment_deleted: "deleted a comment",
  attached: "attached a file",
  detached: "removed a file",
};

const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

function describeChange(change: TActivityChange, names: Names): string | null {
  const { field, from, to } = change;
  switch (field) {
    case "status":
      return `moved it from ${STATUS_LABELS[from as keyof typeof STATUS_LABELS] ?? from} to ${STATUS_LABELS[to as keyof typeof STATUS_LABELS] ?? to}`;
    case "priority":
      return `changed priority from ${PRIORITY_LABELS[from as keyof typeof PRIORITY_LABELS] ?? from} to ${PRIORITY_LABELS[to as keyof typeof PRIORITY_LABELS] ?? to}`;
    case "title":
      return `renamed it to “${String(to)}”`;
    case "description":
      return "edited the description";
    case "visibility":
      return `made it ${String(to)}`;
    case "categoryId":
      return to ? `set the category to ${names.category(String(to))}` : "cleared the category";
    case "parentId":
      return to ? "changed the parent task" : "removed the parent task";
    case "assigneeIds":
    case "labelIds": {
      const name = field === "assigneeIds" ? names.member : names.label;
      const added = list(to).filter((id) => !list(from).includes(id));
      const removed = list(from).filter((id) => !list(to).includes(id));
      const verb = field === "assigneeIds" ? ["assigned", "unassigned"] : ["added the label", "removed the label"];
      return [
        added.length ? `${verb[0]} ${added.map(name).join(", ")}` : "",
        removed.length ? `${verb[1]} ${removed.map(name).join(", ")}` : "",
      ]
        .filter(Boolean)
        .join(" and ");
    }
    case "rank":
      return null;
    default:
      return `changed ${field}`;
  }
}

export function describeActivity(activity: TActivity, names: Names): string {
  const fixed = ACTIONS[activity.action];
  if (fixed) return fixed;
  const parts = activity.changes.map((change) => describeChange(change, names)).filter(Boolean);
  if (parts.length) return parts.join(", ");
  return activity.action === "moved" ? "reordered it" : activity.action.replaceAll("_", " ");
}

/** The task's history, oldest first; refreshed live from the hub's task and comment events. */
export function History(props: {
  orgId: string;
  taskId: string;
  members: TMember[];
  labels: TTag[];
  categories: TTag[];
}) {
  const { api } = useServices();
  const activity = useQuery({
    queryKey: keys.activity(props.orgId, props.taskId),
    queryFn: () =>
      unwrap(
        api.api.orgs[":orgId"].tasks[":taskId"].activity.$get({ param: { orgId: props.orgId, taskId: props.taskId } }),
      ),
  });
  const find = (tags: TTag[], id: string) => tags.find((t) => t.id === id)?.name ?? "a deleted one";
  const memberName = (id: string) => props.members.find((m) => m.userId === id)?.name;
  const names: Names = {
    member: (id) => memberName(id) ?? "a former member",
    label: (id) => find(props.labels, id),
    category: (id) => find(props.categories, id),
  };
  const actor = (a: TActivity) => {
    if (a.actorType === "github") return "GitHub";
    if (a.actorKey) return `API key ${a.actorKey.name}`;
    return a.actorId ? (memberName(a.actorId) ?? "A former member") : "Tandem";
  };
  return (
    <section aria-labelledby="task-history-heading" className="space-y-1">
      <h3 id="task-history-heading" className="text-sm font-semibold">
        History
      </h3>
      <ol data-testid="history" className="space-y-1 text-xs text-muted-foreground">
        {activity.data?.map((a) => (
          <li key={a.id}>
            <span className="font-medium text-foreground">{actor(a)}</span> {describeActivity(a, names)} ·{" "}
            <RelativeTime iso={a.createdAt} />
          </li>
        ))}
      </ol>
    </section>
  );
}
