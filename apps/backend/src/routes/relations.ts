import { ZBlockingPairs, ZBlockingPairsQuery, ZCreateRelationInput, ZTaskRelation } from "@tandem/contracts";
import { createRelation, deleteRelation, listBlockingPairs, listRelations } from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZTaskParam = z.object({ taskId: z.string().min(1).max(64) });
const ZRelationParam = ZTaskParam.extend({ relationId: z.string().min(1).max(64) });

/** `/orgs/:orgId/tasks/:taskId/relations`: a task's links to other tasks of the org. */
export const taskRelationRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag: "Relations",
      summary: "A task's relations from both sides, each as read from this task (`blocked_by`, `duplicated_by`…)",
      access: "member",
      response: z.array(ZTaskRelation),
    }),
    validate("param", ZTaskParam),
    async (c) => c.json(await listRelations({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .post(
    "/",
    doc({
      tag: "Relations",
      summary: "Relate the task to another (`taskId`: id or key); `blocked_by` is stored as `blocks` reversed",
      description: "400 for a task related to itself; 409 for the same relation twice or a loop of blocking tasks.",
      access: "tasks.edit",
      response: ZTaskRelation,
      status: 201,
      errors: [409],
    }),
    validate("param", ZTaskParam),
    validate("json", ZCreateRelationInput),
    async (c) =>
      c.json(
        await createRelation({
          ctx: c.var.ctx,
          input: { taskId: c.req.valid("param").taskId, relation: c.req.valid("json") },
        }),
        201,
      ),
  )
  .delete(
    "/:relationId",
    doc({ tag: "Relations", summary: "Remove a relation of the task", access: "tasks.edit", response: ZTaskRelation }),
    validate("param", ZRelationParam),
    async (c) => c.json(await deleteRelation({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );

/** `/orgs/:orgId/relations`: the org's blocking pairs, so a board marks blocked cards in one request. */
export const relationRoutes = new Hono<AppEnv>().get(
  "/",
  doc({
    tag: "Relations",
    summary: "The org's `blocks` relations between live tasks (`?project=`: of that project's blocked tasks)",
    access: "member",
    response: ZBlockingPairs,
  }),
  validate("query", ZBlockingPairsQuery),
  async (c) => c.json(await listBlockingPairs({ ctx: c.var.ctx, input: c.req.valid("query") })),
);
