import {
  ZArchiveInput,
  ZInboxChange,
  ZMarkReadInput,
  ZNotificationPage,
  ZNotificationPreferences,
  ZNotificationsQuery,
  ZPutNotificationPreferences,
  ZSubscription,
} from "@tandem/contracts";
import {
  changeNotifications,
  getNotificationPreferences,
  getTaskSubscription,
  listNotifications,
  putNotificationPreferences,
  setTaskSubscription,
  unsubscribeByToken,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { publicCtx, userCtx } from "../middleware/org.ts";

/** The signed-in user's inbox and notification preferences (SPEC §14), under `/api/me`. */
export const inboxRoutes = new Hono<AppEnv>()
  .get(
    "/notifications",
    doc({
      tag: "Notifications",
      summary:
        "Your notifications, newest first (`unread=true`: unread only; `cursor`: the last seq of the previous page)",
      access: "signedIn",
      response: ZNotificationPage,
    }),
    validate("query", ZNotificationsQuery),
    async (c) => c.json(await listNotifications({ ctx: userCtx(c), input: c.req.valid("query") })),
  )
  .post(
    "/notifications/read",
    doc({
      tag: "Notifications",
      summary: "Mark notifications read: `{ids}` or `{all: true}`",
      access: "signedIn",
      response: ZInboxChange,
    }),
    validate("json", ZMarkReadInput),
    async (c) =>
      c.json(
        await changeNotifications({
          ctx: userCtx(c),
          input: { change: "read", target: c.req.valid("json") },
          onInbox: c.var.deps.inboxChanged,
        }),
      ),
  )
  .post(
    "/notifications/archive",
    doc({ tag: "Notifications", summary: "Archive notifications `{ids}`", access: "signedIn", response: ZInboxChange }),
    validate("json", ZArchiveInput),
    async (c) =>
      c.json(
        await changeNotifications({
          ctx: userCtx(c),
          input: { change: "archive", target: c.req.valid("json") },
          onInbox: c.var.deps.inboxChanged,
        }),
      ),
  )
  .get(
    "/notification-preferences",
    doc({
      tag: "Notifications",
      summary: "Which kinds reach you in the app and by e-mail",
      access: "signedIn",
      response: ZNotificationPreferences,
    }),
    async (c) => c.json(await getNotificationPreferences({ ctx: userCtx(c), input: undefined })),
  )
  .put(
    "/notification-preferences",
    doc({
      tag: "Notifications",
      summary: "Turn kinds on or off per channel (those not given keep their setting)",
      access: "signedIn",
      response: ZNotificationPreferences,
    }),
    validate("json", ZPutNotificationPreferences),
    async (c) => c.json(await putNotificationPreferences({ ctx: userCtx(c), input: c.req.valid("json") })),
  );

/** RFC 8058 one-click unsubscribe: the signed token in the link is the only credential. */
export const unsubscribeRoutes = new Hono<AppEnv>().post(
  "/unsubscribe",
  doc({
    tag: "Notifications",
    summary: "One-click unsubscribe (RFC 8058) with the signed link from a notification e-mail",
    access: "anyone",
    response: z.object({ unsubscribed: z.array(z.string()) }),
  }),
  validate("query", z.object({ token: z.string().min(1).max(500) })),
  async (c) => c.json(await unsubscribeByToken({ ctx: publicCtx(c), input: c.req.valid("query") })),
);

const ZTaskParam = z.object({ taskId: z.string().min(1).max(64) });

/** Watching a task, under `/api/orgs/:orgId/tasks/:taskId`. */
export const subscriptionRoutes = new Hono<AppEnv>()
  .get(
    "/subscription",
    doc({
      tag: "Notifications",
      summary: "Whether you watch a task (its creator and assignees do unless they unwatched)",
      access: "member",
      response: ZSubscription,
    }),
    validate("param", ZTaskParam),
    async (c) => c.json(await getTaskSubscription({ ctx: c.var.ctx, input: { taskId: c.req.valid("param").taskId } })),
  )
  .put(
    "/subscription",
    doc({ tag: "Notifications", summary: "Watch a task", access: "member", response: ZSubscription }),
    validate("param", ZTaskParam),
    async (c) =>
      c.json(
        await setTaskSubscription({ ctx: c.var.ctx, input: { taskId: c.req.valid("param").taskId, watching: true } }),
      ),
  )
  .delete(
    "/subscription",
    doc({ tag: "Notifications", summary: "Stop watching a task", access: "member", response: ZSubscription }),
    validate("param", ZTaskParam),
    async (c) =>
      c.json(
        await setTaskSubscription({ ctx: c.var.ctx, input: { taskId: c.req.valid("param").taskId, watching: false } }),
      ),
  );
