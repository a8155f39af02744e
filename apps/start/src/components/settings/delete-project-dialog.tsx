import type { TProjectWithStates } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@tandem/ui/components/dialog";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useServices } from "../../lib/app-context.tsx";
import { useProjectMutations } from "../../lib/projects.ts";
import { boardQuery } from "../../lib/query-options.ts";

const tasksPhrase = (count: number) => (count === 1 ? "1 task" : `${count} tasks`);

/**
 * Deleting a project takes its tasks with it: the dialog says how many, and the delete button
 * only works once the project's key is typed (as GitHub asks for a repository's name).
 */
export function DeleteProjectDialog(props: {
  orgId: string;
  project: TProjectWithStates;
  onOpenChange: (open: boolean) => void;
  onDeleted: () => void;
}) {
  const { project } = props;
  const { api } = useServices();
  const { deleteProject } = useProjectMutations(props.orgId);
  // The project's board: what its delete takes with it (shared with the board's cache).
  const tasks = useQuery(boardQuery(api, props.orgId, project.id));
  const [typed, setTyped] = useState("");
  const confirmed = typed.trim().toUpperCase() === project.key;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!confirmed) return;
    deleteProject.mutate({ projectId: project.id }, { onSuccess: props.onDeleted });
  }

  return (
    <Dialog open onOpenChange={props.onOpenChange}>
      <DialogContent data-testid="delete-project-dialog">
        <DialogHeader>
          <DialogTitle>Delete {project.name}?</DialogTitle>
          <DialogDescription data-testid="delete-project-count">
            {tasks.data
              ? `Its ${tasksPhrase(tasks.data.length)} will be deleted with it. This cannot be undone.`
              : tasks.isError
                ? "Its tasks will be deleted with it. This cannot be undone."
                : "Counting its tasks…"}
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="space-y-3">
          <div className="space-y-1.5">
            <Label htmlFor="delete-project-confirm">
              Type <code className="font-mono font-semibold">{project.key}</code> to confirm
            </Label>
            <Input
              id="delete-project-confirm"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoFocus
            />
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => props.onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={!confirmed || deleteProject.isPending}>
              Delete project and its tasks
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
