import type { TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { BellIcon, BellOffIcon } from "lucide-react";
import { useEffect } from "react";
import { useTaskSubscription } from "../../lib/subscription.ts";

/**
 * Watch or stop watching the task, as Linear's subscribe bell does. Its creator and assignees
 * watch without asking; being assigned (live) can change the answer, so it is read again then.
 */
export function WatchButton({ orgId, task }: { orgId: string; task: TTask }) {
  const { watching, toggle, refresh } = useTaskSubscription(orgId, task.id);
  const assignees = task.assigneeIds.join();
  useEffect(() => {
    if (assignees !== undefined) refresh();
  }, [assignees, refresh]);
  if (watching === undefined) return null;
  const Icon = watching ? BellIcon : BellOffIcon;
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-pressed={watching}
      title={
        watching ? "You are told about changes and comments. Click to stop." : "Get told about changes and comments"
      }
      disabled={toggle.isPending}
      onClick={() => toggle.mutate(!watching)}
    >
      <Icon className="size-4" aria-hidden="true" />
      {watching ? "Watching" : "Watch"}
    </Button>
  );
}
