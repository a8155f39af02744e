import type { TTask } from "@tandem/contracts";
import { Input } from "@tandem/ui/components/input";
import { useRef } from "react";
import { PermissionGate } from "../permission-button.tsx";
import { ConflictNotice } from "./conflict-notice.tsx";
import { useFieldDraft } from "./use-field-draft.ts";
import type { useSaveField } from "./use-save-field.ts";

const trim = (value: string) => value.trim();

/** The title, saved on Enter or when focus leaves; a remote rename never replaces typing. */
export function TitleField(props: {
  task: TTask;
  canEdit: boolean;
  changedBy: string;
  save: ReturnType<typeof useSaveField>;
}) {
  const { task, save } = props;
  const draft = useFieldDraft(task.title, trim);
  const saving = useRef(false);

  async function commit(force = false) {
    const next = draft.value.trim();
    if (saving.current || !draft.dirty || (draft.conflict && !force)) return;
    if (!next) return draft.discard();
    saving.current = true;
    const result = await save("title", next, force ? task.title : draft.base);
    saving.current = false;
    if (result === "saved") draft.settle(next);
  }

  return (
    <div className="space-y-2">
      <PermissionGate permission="tasks.edit">
        {(gate) => (
          <Input
            aria-label="Title"
            value={draft.value}
            disabled={gate.disabled}
            aria-describedby={gate.describedBy}
            className="text-lg font-semibold"
            onChange={(event) => draft.change(event.target.value)}
            onBlur={() => commit()}
            onKeyDown={(event) => {
              if (event.key !== "Enter") return;
              event.preventDefault();
              commit();
            }}
          />
        )}
      </PermissionGate>
      {draft.conflict ? (
        <ConflictNotice
          testId="conflict-title"
          who={props.changedBy}
          field="title"
          theirs={<p className="font-medium">{task.title}</p>}
          onKeepMine={() => commit(true)}
          onTakeTheirs={draft.discard}
        />
      ) : null}
    </div>
  );
}
