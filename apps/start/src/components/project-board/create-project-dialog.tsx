import { Button } from "@tandem/ui/components/button";
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from "@tandem/ui/components/dialog";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { type FormEvent, useState } from "react";
import { useOrg } from "../../lib/org-context.tsx";
import { useProjectMutations } from "../../lib/projects.ts";

/** A key suggested from the name: its capitals or first letters (`Mobile app` → `MA`). */
function suggestKey(name: string): string {
  const words = name
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  const initials = words.map((w) => w[0]).join("");
  const key = initials.length >= 2 ? initials : (words[0] ?? "").slice(0, 3);
  return key.replace(/^[0-9]+/, "").slice(0, 10);
}

export function CreateProjectDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (key: string) => void;
}) {
  const org = useOrg();
  const { createProject } = useProjectMutations(org.id);
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const shownKey = keyTouched ? key : suggestKey(name);
  function submit(event: FormEvent) {
    event.preventDefault();
    createProject.mutate(
      { name, key: shownKey },
      {
        onSuccess: (project) => {
          props.onOpenChange(false);
          props.onCreated(project.key);
        },
      },
    );
  }
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New project</DialogTitle>
        </DialogHeader>
        <form onSubmit={submit} className="space-y-3">
          <div className="space-y-1">
            <Label htmlFor="project-name">Project name</Label>
            <Input id="project-name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
          </div>
          <div className="space-y-1">
            <Label htmlFor="project-key">Key</Label>
            <Input
              id="project-key"
              value={shownKey}
              onChange={(e) => {
                setKeyTouched(true);
                setKey(e.target.value.toUpperCase());
              }}
              pattern="[A-Z][A-Z0-9]{1,9}"
              title="2–10 upper-case letters or digits, starting with a letter"
              required
            />
            <p className="text-xs text-muted-foreground">Task keys start with it, like {shownKey || "ENG"}-1.</p>
          </div>
          <DialogFooter>
            <Button type="submit" disabled={createProject.isPending}>
              Create project
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
