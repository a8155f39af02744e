import type { TProjectWithStates } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from "@tandem/ui/components/dialog";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { Textarea } from "@tandem/ui/components/textarea";
import type { FormEvent } from "react";
import { useOrg } from "../lib/org-context.tsx";
import { useTaskMutations } from "../lib/queries.ts";
import { FieldSelect, VISIBILITY_OPTIONS } from "./field-select.tsx";

export function CreateTaskDialog({
  open,
  onOpenChange,
  project,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  project: TProjectWithStates;
}) {
  // New tasks start in the project's first "unstarted" state (Todo), as the API's default.
  const initial = project.states.find((s) => s.category === "unstarted") ?? project.states[0];
  const org = useOrg();
  const { create } = useTaskMutations(org.id);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    create.mutate(
      {
        title: form.title ?? "",
        description: form.description ?? "",
        projectId: project.id,
        stateId: form.stateId || initial?.id,
        dueDate: form.dueDate || null,
        visibility: form.visibility === "public" ? "public" : "private",
      },
      { onSuccess: () => onOpenChange(false) },
    );
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New task</DialogTitle>
        </DialogHeader>
        <form onSubmit={submit} className="space-y-3">
          <div className="space-y-1">
            <Label htmlFor="new-title">Title</Label>
            <Input id="new-title" name="title" required autoFocus maxLength={500} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="new-description">Description</Label>
            <Textarea id="new-description" name="description" rows={3} />
          </div>
          <div className="grid grid-cols-2 gap-3">
            <FieldSelect
              id="new-state"
              name="stateId"
              label="State"
              defaultValue={initial?.id}
              options={project.states.map((s) => ({ value: s.id, label: s.name }))}
            />
            <FieldSelect
              id="new-visibility"
              name="visibility"
              label="Visibility"
              defaultValue="private"
              options={VISIBILITY_OPTIONS}
            />
          </div>
          <div className="space-y-1">
            <Label htmlFor="new-due">Due date</Label>
            <Input id="new-due" name="dueDate" type="date" />
          </div>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending}>
              Create task
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
