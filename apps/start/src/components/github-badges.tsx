import type { TExternalUser, TReviewState, TTask } from "@tandem/contracts";
import { Avatar } from "@tandem/ui/components/avatar";
import { Badge } from "@tandem/ui/components/badge";

const REVIEW = {
  approved: { label: "Approved", color: "#1a7f37" },
  changes_requested: { label: "Changes requested", color: "#bc4c00" },
} as const;

/** The linked pull request's review decision on GitHub. */
export function ReviewBadge({ state }: { state: TReviewState | null }) {
  if (!state) return null;
  const { label, color } = REVIEW[state];
  return (
    <Badge color={color} data-testid="review-state" title={`Pull request review: ${label.toLowerCase()}`}>
      {label}
    </Badge>
  );
}

/** People assigned on GitHub who have no Tandem account: their login and GitHub avatar. */
export function ExternalAssignees({ users }: { users: readonly TExternalUser[] }) {
  if (!users.length) return null;
  return (
    <div className="space-y-1 text-sm">
      <p className="text-muted-foreground">Assigned on GitHub</p>
      <ul data-testid="external-assignees" className="flex flex-wrap gap-2">
        {users.map((user) => (
          <li key={user.login} className="flex items-center gap-1.5">
            <Avatar name={user.login} aria-label={`${user.login} (GitHub)`} image={user.avatarUrl} size="sm" />
            <span>@{user.login}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** In the task dialog: the review state and the GitHub-only assignees, when there are any. */
export function GithubDetails({ task }: { task: Pick<TTask, "reviewState" | "externalAssignees"> }) {
  if (!task.reviewState && !task.externalAssignees.length) return null;
  return (
    <div className="flex flex-wrap items-start gap-4">
      {task.reviewState ? (
        <div className="space-y-1 text-sm">
          <p className="text-muted-foreground">Pull request review</p>
          <ReviewBadge state={task.reviewState} />
        </div>
      ) : null}
      <ExternalAssignees users={task.externalAssignees} />
    </div>
  );
}
