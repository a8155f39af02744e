import type { TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { PencilIcon } from "lucide-react";
import { useRef, useState } from "react";
import { MarkdownView } from "../markdown.tsx";
import { MarkdownEditor } from "../markdown-editor.tsx";
import { PermissionButton } from "../permission-button.tsx";
import { ConflictNotice } from "./conflict-notice.tsx";
import { useFieldDraft } from "./use-field-draft.ts";
import type { useSaveField } from "./use-save-field.ts";

/** The description: rendered markdown, or an editor with Write / Preview and an explicit save. */
export function DescriptionField(props: {
  task: TTask;
  canEdit: boolean;
  changedBy: string;
  save: ReturnType<typeof useSaveField>;
}) {
  const { task, save } = props;
  const [editing, setEditing] = useState(false);
  const draft = useFieldDraft(task.description);
  const saving = useRef(false);

  const close = () => {
    draft.discard();
    setEditing(false);
  };
  async function commit(force = false) {
    if (saving.current || (draft.conflict && !force)) return;
    if (!draft.dirty) return close();
    const value = draft.value;
    saving.current = true;
    const result = await save("description", value, force ? task.description : draft.base);
    saving.current = false;
    if (result !== "saved") return;
    draft.settle(value);
    setEditing(false);
  }

  return (
    <section aria-labelledby="task-description-heading" className="space-y-2">
      <div className="flex items-center justify-between">
        <h3 id="task-description-heading" className="text-sm font-semibold">
          Description
        </h3>
        {editing ? null : (
          <PermissionButton
            permission="tasks.edit"
            variant="ghost"
            size="sm"
            aria-label="Edit description"
            onClick={() => setEditing(true)}
          >
            <PencilIcon aria-hidden="true" /> Edit
          </PermissionButton>
        )}
      </div>
      {draft.conflict ? (
        <ConflictNotice
          testId="conflict-description"
          who={props.changedBy}
          field="description"
          theirs={<MarkdownView source={task.description || "_(empty)_"} />}
          onKeepMine={() => commit(true)}
          onTakeTheirs={draft.discard}
        />
      ) : null}
      {editing ? (
        <MarkdownEditor
          label="Description"
          value={draft.value}
          onChange={draft.change}
          onSubmit={() => commit()}
          rows={8}
          autoFocus
          placeholder="Add a description… (markdown)"
        >
          <Button variant="outline" size="sm" onClick={close}>
            Cancel
          </Button>
          <Button size="sm" aria-label="Save description" disabled={draft.conflict} onClick={() => commit()}>
            Save
          </Button>
        </MarkdownEditor>
      ) : task.description.trim() ? (
        <MarkdownView data-testid="description-view" source={task.description} />
      ) : (
        <p data-testid="description-view" className="text-sm text-muted-foreground">
          No description.
        </p>
      )}
    </section>
  );
}
