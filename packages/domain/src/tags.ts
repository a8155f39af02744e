import type { TCreateTagInput, TEventType, TTag, TUpdateTagInput } from "@tandem/contracts";
import {
  deleteTagRow,
  insertTag,
  listTags as listTagRows,
  removeLabelFromTasks,
  type TagKind,
  updateTagRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { recordEvent } from "./admin-events.ts";
import { defineMutation, defineQuery } from "./context.ts";
import { conflict, isUniqueViolation, notFound } from "./errors.ts";
import { toTagDto } from "./mappers.ts";

const config = {
  label: { permission: "content.manageLabels", idPrefix: "lbl", event: "LABEL", noun: "Label" },
  category: { permission: "content.manageCategories", idPrefix: "cat", event: "CATEGORY", noun: "Category" },
} as const;

/** Labels and categories behave alike; one set of verbs serves both. */
export function tagVerbs(kind: TagKind) {
  const { permission, idPrefix, event, noun } = config[kind];
  const eventType = (verb: "CREATE" | "UPDATE" | "DELETE") => `${verb}_${event}` as TEventType;
  const nameTaken = (error: unknown): never => {
    if (isUniqueViolation(error)) throw conflict(`A ${noun.toLowerCase()} with that name already exists`);
    throw error;
  };

  return {
    list: defineQuery<void, TTag[]>(`${kind}.list`, null, async ({ ctx }) =>
      (await listTagRows(ctx.db, { kind, orgId: ctx.org.id })).map(toTagDto),
    ),
    create: defineMutation<TCreateTagInput, TTag>(`${kind}.create`, permission, async ({ ctx, input }) => {
      const row = await insertTag(ctx.tx, kind, { id: newId(idPrefix), orgId: ctx.org.id, ...input }).catch(nameTaken);
      const tag = toTagDto(row);
      await recordEvent(ctx, eventType("CREATE"), "public", { [kind]: tag });
      return tag;
    }),
    update: defineMutation<{ id: string; patch: TUpdateTagInput }, TTag>(
      `${kind}.update`,
      permission,
      async ({ ctx, input }) => {
        const row = await updateTagRow(ctx.tx, { kind, orgId: ctx.org.id, id: input.id, values: input.patch }).catch(
          nameTaken,
        );
        if (!row) throw notFound(noun);
        const tag = toTagDto(row);
        await recordEvent(ctx, eventType("UPDATE"), "public", { [kind]: tag });
        return tag;
      },
    ),
    remove: defineMutation<{ id: string }, TTag>(`${kind}.delete`, permission, async ({ ctx, input }) => {
      const row = await deleteTagRow(ctx.tx, { kind, orgId: ctx.org.id, id: input.id });
      if (!row) throw notFound(noun);
      // Categories are a foreign key (set null on delete); labels live in task arrays.
      if (kind === "label") await removeLabelFromTasks(ctx.tx, { orgId: ctx.org.id, labelId: row.id });
      const tag = toTagDto(row);
      await recordEvent(ctx, eventType("DELETE"), "public", { [kind]: tag });
      return tag;
    }),
  };
}

export const labels = tagVerbs("label");
export const categories = tagVerbs("category");
