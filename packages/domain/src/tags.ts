import type { TCreateTagInput, TEventInput, TTag, TUpdateTagInput } from "@tandem/contracts";
import {
  deleteTagRow,
  insertTag,
  listTags as listTagRows,
  removeLabelFromTasks,
  type TagKind,
  updateTagRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { defineMutation, defineQuery } from "./context.ts";
import { conflict, isUniqueViolation, notFound } from "./errors.ts";
import { toTagDto } from "./mappers.ts";
import { recordEvent } from "./record-event.ts";

const config = {
  label: { permission: "content.manageLabels", idPrefix: "lbl", noun: "Label" },
  category: { permission: "content.manageCategories", idPrefix: "cat", noun: "Category" },
} as const;

type Verb = "CREATE" | "UPDATE" | "DELETE";
/** The event for a label or category change. */
function tagEvent(kind: TagKind, verb: Verb, tag: TTag): TEventInput {
  return kind === "label"
    ? { type: `${verb}_LABEL`, payload: { label: tag } }
    : { type: `${verb}_CATEGORY`, payload: { category: tag } };
}

/** Labels and categories behave alike; one set of verbs serves both. */
function tagVerbs(kind: TagKind) {
  const { permission, idPrefix, noun } = config[kind];
  const nameTaken = (error: unknown): never => {
    if (isUniqueViolation(error)) throw conflict(`A ${noun.toLowerCase()} with that name already exists`);
    throw error;
  };

  return {
    list: defineQuery<void, TTag[]>(`${kind}.list`, null, async ({ ctx }) =>
      (await listTagRows(ctx.db, { kind, orgId: ctx.org.id })).map(toTagDto),
    ),
    create: defineMutation<TCreateTagInput, TTag>(`${kind}.create`, permission, async ({ ctx, input }) => {
      const row = await insertTag(ctx.tx, { kind, values: { id: newId(idPrefix), orgId: ctx.org.id, ...input } }).catch(
        nameTaken,
      );
      const tag = toTagDto(row);
      await recordEvent(ctx, tagEvent(kind, "CREATE", tag));
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
        await recordEvent(ctx, tagEvent(kind, "UPDATE", tag));
        return tag;
      },
    ),
    delete: defineMutation<{ id: string }, TTag>(`${kind}.delete`, permission, async ({ ctx, input }) => {
      const row = await deleteTagRow(ctx.tx, { kind, orgId: ctx.org.id, id: input.id });
      if (!row) throw notFound(noun);
      // Categories are a foreign key (set null on delete); labels live in task arrays.
      if (kind === "label") await removeLabelFromTasks(ctx.tx, { orgId: ctx.org.id, labelId: row.id });
      const tag = toTagDto(row);
      await recordEvent(ctx, tagEvent(kind, "DELETE", tag));
      return tag;
    }),
  };
}

/** The four verbs of one kind of tag, for the edge that serves both kinds alike. */
export type TagVerbs = ReturnType<typeof tagVerbs>;

export const {
  list: listLabels,
  create: createLabel,
  update: updateLabel,
  delete: deleteLabel,
}: TagVerbs = tagVerbs("label");
export const {
  list: listCategories,
  create: createCategory,
  update: updateCategory,
  delete: deleteCategory,
}: TagVerbs = tagVerbs("category");
