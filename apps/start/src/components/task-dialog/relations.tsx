import type { TCreateRelationInput, TTaskRelation } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { type FormEvent, useState } from "react";
import { useCan } from "../../lib/org-context.tsx";
import { useRelationMutations, useTaskRelations } from "../../lib/relations.ts";

const TYPE_LABELS: Record<TTaskRelation["type"], string> = {
  blocks: "Blocks",
  blocked_by: "Blocked by",
  relates: "Relates to",
  duplicate_of: "Duplicate of",
  duplicated_by: "Duplicated by",
};
const ADDABLE: TCreateRelationInput["type"][] = ["blocks", "blocked_by", "relates", "duplicate_of"];

/** The task's relations (read from this task), added by the other task's key and removed. */
export function Relations({ orgId, taskId }: { orgId: string; taskId: string }) {
  const relations = useTaskRelations(orgId, taskId);
  const { add, remove } = useRelationMutations(orgId, taskId);
  const canEdit = useCan("tasks.edit");
  const [type, setType] = useState<TCreateRelationInput["type"]>("blocked_by");
  const [other, setOther] = useState("");
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ type, taskId: other.trim().toUpperCase() }, { onSuccess: () => setOther("") });
  }
  return (
    <section aria-labelledby="relations-heading" className="space-y-2" data-testid="relations">
      <h3 id="relations-heading" className="text-sm font-medium">
        Relations
      </h3>
      <ul className="space-y-1 text-sm">
        {(relations.data ?? []).map((relation) => (
          <li key={relation.id} className="flex items-center gap-2" data-testid="relation">
            <span className="text-muted-foreground">{TYPE_LABELS[relation.type]}</span>
            <span className="font-mono text-xs">{relation.relatedTaskKey}</span>
            <span className="truncate">{relation.relatedTaskTitle}</span>
            {canEdit ? (
              <button
                type="button"
                className="ml-auto text-xs text-muted-foreground hover:text-foreground"
                aria-label={`Remove relation ${TYPE_LABELS[relation.type]} ${relation.relatedTaskKey}`}
                onClick={() => remove.mutate(relation.id)}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form onSubmit={submit} className="flex gap-2">
          <select
            aria-label="Relation type"
            className="h-9 w-36 shrink-0 rounded-md border border-border bg-background px-2 text-sm"
            value={type}
            onChange={(e) => setType(e.target.value as TCreateRelationInput["type"])}
          >
            {ADDABLE.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <Input
            aria-label="Related task key"
            placeholder="ENG-3"
            value={other}
            onChange={(e) => setOther(e.target.value)}
            required
          />
          <Button type="submit" variant="outline" disabled={add.isPending}>
            Add relation
          </Button>
        </form>
      ) : null}
    </section>
  );
}
