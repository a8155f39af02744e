import {
  ZCreateProjectInput,
  ZCreateStateInput,
  ZDeleteStateQuery,
  ZProjectWithStates,
  ZUpdateProjectInput,
  ZUpdateStateInput,
  ZWorkflowState,
} from "@tandem/contracts";
import {
  createProject,
  createState,
  deleteProject,
  deleteState,
  getProject,
  listProjects,
  listStates,
  updateProject,
  updateState,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZProjectParam = z.object({ projectId: z.string().min(1).max(64) });
const ZStateParam = ZProjectParam.extend({ stateId: z.string().min(1).max(64) });
const tag = "Projects";

/** Projects and their workflows (SPEC §13); `:projectId` is the id or the key (`ENG`). */
export const projectRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag,
      summary: "List projects in board order, each with its states",
      access: "member",
      response: z.array(ZProjectWithStates),
    }),
    async (c) => c.json(await listProjects({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/",
    doc({
      tag,
      summary: "Create a project (with the five default states)",
      access: "admin.manageProjects",
      response: ZProjectWithStates,
      status: 201,
      errors: [409],
    }),
    validate("json", ZCreateProjectInput),
    async (c) => c.json(await createProject({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .get(
    "/:projectId",
    doc({ tag, summary: "Get a project by id or key", access: "member", response: ZProjectWithStates }),
    validate("param", ZProjectParam),
    async (c) => c.json(await getProject({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .patch(
    "/:projectId",
    doc({
      tag,
      summary: "Edit a project; a new key renames its tasks' keys (409 when another project has it)",
      access: "admin.manageProjects",
      response: ZProjectWithStates,
      errors: [409],
    }),
    validate("param", ZProjectParam),
    validate("json", ZUpdateProjectInput),
    async (c) =>
      c.json(
        await updateProject({
          ctx: c.var.ctx,
          input: { projectId: c.req.valid("param").projectId, patch: c.req.valid("json") },
        }),
      ),
  )
  .delete(
    "/:projectId",
    doc({
      tag,
      summary: "Delete a project and its tasks (409 for the org's last live project)",
      access: "admin.manageProjects",
      response: ZProjectWithStates,
      errors: [409],
    }),
    validate("param", ZProjectParam),
    async (c) => c.json(await deleteProject({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/:projectId/states",
    doc({ tag, summary: "A project's states in column order", access: "member", response: z.array(ZWorkflowState) }),
    validate("param", ZProjectParam),
    async (c) => c.json(await listStates({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .post(
    "/:projectId/states",
    doc({
      tag,
      summary: "Add a state (at `position`, else last)",
      access: "admin.manageProjects",
      response: ZWorkflowState,
      status: 201,
    }),
    validate("param", ZProjectParam),
    validate("json", ZCreateStateInput),
    async (c) =>
      c.json(
        await createState({
          ctx: c.var.ctx,
          input: { projectId: c.req.valid("param").projectId, state: c.req.valid("json") },
        }),
        201,
      ),
  )
  .patch(
    "/:projectId/states/:stateId",
    doc({
      tag,
      summary: "Rename, recolour or reorder a state",
      access: "admin.manageProjects",
      response: ZWorkflowState,
    }),
    validate("param", ZStateParam),
    validate("json", ZUpdateStateInput),
    async (c) =>
      c.json(await updateState({ ctx: c.var.ctx, input: { ...c.req.valid("param"), patch: c.req.valid("json") } })),
  )
  .delete(
    "/:projectId/states/:stateId",
    doc({
      tag,
      summary: "Delete a state, moving its tasks to `?moveTo=` in the same transaction",
      description:
        "409 when it is the project's last `unstarted` or `completed` state, or when it has tasks and no `moveTo`.",
      access: "admin.manageProjects",
      response: ZWorkflowState,
      errors: [409],
    }),
    validate("param", ZStateParam),
    validate("query", ZDeleteStateQuery),
    async (c) =>
      c.json(
        await deleteState({ ctx: c.var.ctx, input: { ...c.req.valid("param"), moveTo: c.req.valid("query").moveTo } }),
      ),
  );
