import type { TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle } from "@tandem/ui/components/dialog";
import { useState } from "react";
import { PermissionButton } from "../permission-button.tsx";

/**
 * "Delete task" asks first: a delete is permanent from the board's point of view (the task's
 * history stays on the server), so one stray click must not do it.
 */
export function DeleteTask({ task, onDelete }: { task: TTask; onDelete: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex justify-end">
      <PermissionButton permission="tasks.delete" variant="destructive" onClick={() => setOpen(true)}>
        Delete task
      </PermissionButton>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent role="alertdialog" showCloseButton={false} className="max-w-sm">
          <DialogTitle>Delete {task.key}?</DialogTitle>
          <DialogDescription>
            “{task.title}” leaves the board for everyone. Its comments and history are kept but no longer shown.
          </DialogDescription>
          <DialogFooter>
            {/* First in the tab order, so it is the one Radix focuses: the safe choice. */}
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              onClick={() => {
                setOpen(false);
                onDelete();
              }}
            >
              Delete
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
