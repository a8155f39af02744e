import {
  addTombstone,
  deleteTagRow,
  ensureLabel,
  hasTombstone,
  lockLabelByName,
  type RepoLinkRow,
  removeLabelFromTasks,
  updateTagRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { defineMutation, type TxCtx } from "../context.ts";
import { toTagDto } from "../mappers.ts";
import { recordEvent } from "../record-event.ts";
import type { TGithubLabelEvent } from "./payloads.ts";

/**
 * A repository label created, renamed, recoloured or deleted on GitHub, applied to the org's
 * label of that name (labels are matched by name, as issues' labels are). A deleted label
 * leaves a tombstone by GitHub's label id: an older create or edit arriving later is dropped.
 */
export const syncLabel = defineMutation(
  "github.sync.label",
  null,
  async ({ ctx, input }: { ctx: TxCtx; input: { repo: RepoLinkRow; event: TGithubLabelEvent; action: string } }) => {
    const { repo, event, action } = input;
    const { tx } = ctx;
    const { label, changes } = event;
    const ref = { orgId: ctx.org.id, repositoryId: repo.id, kind: "label" as const, githubId: label.id };
    if (!label.name) return;
    if (action === "deleted") {
      await addTombstone(tx, ref);
      const row = await lockLabelByName(tx, { orgId: ctx.org.id, name: label.name });
      if (!row) return;
      await deleteTagRow(tx, { kind: "label", orgId: ctx.org.id, id: row.id });
      await removeLabelFromTasks(tx, { orgId: ctx.org.id, labelId: row.id });
      await recordEvent(ctx, { type: "DELETE_LABEL", payload: { label: toTagDto(row) } });
      return;
    }
    if ((action !== "created" && action !== "edited") || (await hasTombstone(tx, ref))) return;
    const color = `#${label.color ?? "6b7280"}`;
    const renamedFrom = changes?.name?.from;
    const current = await lockLabelByName(tx, { orgId: ctx.org.id, name: label.name });
    const previous = renamedFrom ? await lockLabelByName(tx, { orgId: ctx.org.id, name: renamedFrom }) : undefined;
    // A rename onto a name the org already uses keeps both labels and recolours that one.
    let row = current ?? previous;
    if (!row) {
      // Another delivery may create the same label meanwhile: the first insert wins, the rest
      // go on as if it had been there (recolouring it when they carry another colour).
      const ensured = await ensureLabel(tx, { id: newId("lbl"), orgId: ctx.org.id, name: label.name, color });
      if (ensured.created) {
        await recordEvent(ctx, { type: "CREATE_LABEL", payload: { label: toTagDto(ensured.row) } });
        return;
      }
      row = ensured.row;
    }
    if (row.name === label.name && row.color === color) return;
    const updated = await updateTagRow(tx, {
      kind: "label",
      orgId: ctx.org.id,
      id: row.id,
      values: { name: label.name, color },
    });
    if (updated) await recordEvent(ctx, { type: "UPDATE_LABEL", payload: { label: toTagDto(updated) } });
  },
);
