import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mentionOf } from "@tandem/contracts";
import { ok, refused, startTestBackend, type TestBackend, WEB_ORIGIN } from "./harness.ts";
import { notifierCaughtUp, orgOf, rowsOf, until } from "./notify-world.ts";
import { linkIn, type SmtpInbox, startSmtpInbox } from "./smtp-inbox.ts";

/**
 * SPEC §14: the notifier follows the event log and fills inboxes and e-mail. Real Postgres,
 * real HTTP, real SMTP on loopback; the e-mail window is short so digests go out in a test.
 */
let backend: TestBackend;
let smtp: SmtpInbox;
beforeAll(async () => {
  smtp = await startSmtpInbox();
  backend = await startTestBackend({
    smtpUrl: smtp.url,
    notifier: { enabled: true, pollMs: 50, collapseMs: 60_000, emailBatchWindowMs: 1500 },
  });
});
afterAll(async () => {
  await backend.stop();
  await smtp.close();
});

const tasksOf = (user: { api: TestBackend["api"] }) => user.api.api.orgs[":orgId"].tasks;
/** Mail to `to` that is not the sign-up's address verification. */
const notificationMails = (to: string) =>
  smtp
    .received()
    .filter((m) => m.to && !Array.isArray(m.to) && m.to.text === to && !m.subject?.startsWith("Verify your e-mail"));
const mailTo = (to: string, what: (text: string) => boolean) =>
  until(`a notification mail to ${to}`, async () => notificationMails(to).find((m) => what(m.text ?? "")));
const inboxOf = (user: { api: TestBackend["api"] }) => ok(user.api.api.me.notifications.$get({ query: {} }));

describe("notifications", () => {
  test("assignment, mention and comment reach the right people once, with links to the task and comment", async () => {
    const { org, people } = await orgOf(backend, ["Ann", "Ben", "Cat"]);
    const [ann, ben, cat] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const outsider = await backend.signUp("Dan");
    const task = await ok(
      tasksOf(ann).$post({
        param: { orgId: org.id },
        json: {
          title: "Ship it",
          assigneeIds: [ben.id],
          description: `Please look, ${mentionOf(cat)} and ${mentionOf({ id: outsider.id, name: "Dan" })}`,
        },
      }),
      201,
    );
    const comment = await ok(
      cat.api.api.orgs[":orgId"].tasks[":taskId"].comments.$post({
        param: { orgId: org.id, taskId: task.id },
        json: { body: `Done, ${mentionOf(ben)}?` },
      }),
      201,
    );
    await notifierCaughtUp(backend, org.id);

    const benInbox = await inboxOf(ben);
    // Ben: assigned by Ann, then mentioned by Cat (another actor: two notifications).
    expect(benInbox.notifications.map((n) => [n.kind, n.summary])).toEqual([
      ["mentioned", `Cat mentioned you in a comment on ${task.key}`],
      ["assigned", `Ann assigned you to ${task.key}: Ship it`],
    ]);
    expect(benInbox.unreadCount).toBe(2);
    expect(benInbox.notifications[0]?.path).toBe(`/o/${org.slug}?task=${task.key}#comment-${comment.id}`);
    // Cat was mentioned by Ann; her own comment notifies her of nothing.
    expect((await inboxOf(cat)).notifications.map((n) => n.kind)).toEqual(["mentioned"]);
    // Ann created the task, so she watches it: Cat's comment reaches her.
    const annInbox = await inboxOf(ann);
    expect(annInbox.notifications.map((n) => [n.kind, n.commentId])).toEqual([["commented", comment.id]]);
    // Dan is no member: mentioned, told nothing.
    expect(await rowsOf(backend, outsider.id, org.id)).toHaveLength(0);
    expect((await inboxOf(outsider)).notifications).toHaveLength(0);

    // The e-mail to Ben: one digest of both, sanitised HTML and text, links to the task.
    const mail = await smtp.mailTo(ben.email, 0, "2 new notifications in Tandem");
    expect(mail.subject).toBe("2 new notifications in Tandem");
    expect(linkIn(mail, "task=")).toBe(`${WEB_ORIGIN}/o/${org.slug}?task=${task.key}`);
    expect(mail.text).toContain(`Open: ${WEB_ORIGIN}/o/${org.slug}?task=${task.key}#comment-${comment.id}`);
    expect(mail.html || "").not.toContain("user:");
    expect(mail.html || "").toContain("<strong>@Ben</strong>");
    const header = (key: string) => mail.headerLines.find((line) => line.key === key)?.line.replace(/\s+/g, " ");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(header("list-unsubscribe")).toMatch(
      /^List-Unsubscribe: <http:\/\/.+\/api\/notifications\/unsubscribe\?token=.+>$/,
    );

    // Read and archive: counts follow; ids of someone else's notifications change nothing.
    const [first, second] = benInbox.notifications;
    if (!first || !second) throw new Error("two notifications expected");
    const foreign = await ok(ann.api.api.me.notifications.read.$post({ json: { ids: [first.id] } }));
    expect(foreign.updated).toBe(0);
    expect(await ok(ben.api.api.me.notifications.read.$post({ json: { ids: [first.id] } }))).toEqual({
      updated: 1,
      unreadCount: 1,
    });
    expect((await ok(ben.api.api.me.notifications.$get({ query: { unread: "true" } }))).notifications).toHaveLength(1);
    await ok(ben.api.api.me.notifications.archive.$post({ json: { ids: [second.id] } }));
    expect((await inboxOf(ben)).notifications.map((n) => n.id)).toEqual([first.id]);
    expect((await ok(ben.api.api.me.notifications.read.$post({ json: { all: true } }))).unreadCount).toBe(0);
  });

  test("a burst of 10 edits by one actor is one notification and one e-mail; watching is a choice", async () => {
    const { org, people } = await orgOf(backend, ["Eve", "Fay"]);
    const [eve, fay] = people as [(typeof people)[0], (typeof people)[0]];
    let task = await ok(tasksOf(eve).$post({ param: { orgId: org.id }, json: { title: "Busy" } }), 201);
    const subscription = fay.api.api.orgs[":orgId"].tasks[":taskId"].subscription;
    expect(await ok(subscription.$put({ param: { orgId: org.id, taskId: task.key } }))).toEqual({
      taskId: task.id,
      watching: true,
    });
    const statuses = ["in_progress", "todo"] as const;
    for (let i = 0; i < 10; i++) {
      task = await ok(
        eve.api.api.orgs[":orgId"].tasks[":taskId"].$patch({
          param: { orgId: org.id, taskId: task.id },
          json: { version: task.version, status: statuses[i % 2] },
        }),
      );
    }
    await notifierCaughtUp(backend, org.id);
    const rows = await rowsOf(backend, fay.id, org.id);
    expect(rows.map((row) => [row.kind, row.count])).toEqual([["state_changed", 10]]);
    const mail = await mailTo(fay.email, () => true);
    expect(mail.subject).toBe(`Eve moved ${task.key} to Todo: Busy`);
    expect(mail.text).toContain("(+9 more changes)");
    await until("the e-mail to be claimed", async () =>
      (await rowsOf(backend, fay.id, org.id)).every((row) => row.emailState === "sent") ? true : undefined,
    );
    expect(notificationMails(fay.email)).toHaveLength(1);

    // Unwatched: Eve's next change reaches Fay no more.
    expect((await ok(subscription.$delete({ param: { orgId: org.id, taskId: task.id } }))).watching).toBe(false);
    await ok(
      eve.api.api.orgs[":orgId"].tasks[":taskId"].$patch({
        param: { orgId: org.id, taskId: task.id },
        json: { version: task.version, status: "done" },
      }),
    );
    await notifierCaughtUp(backend, org.id);
    expect(await rowsOf(backend, fay.id, org.id)).toHaveLength(1);
  });

  test("preferences turn a kind off per channel; one-click unsubscribe works unauthenticated, for its recipient only", async () => {
    const { org, people } = await orgOf(backend, ["Gus", "Hal", "Ivy"]);
    const [gus, hal, ivy] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    // Hal wants comments in the app but not by e-mail; Ivy wants no assignments in the app.
    await ok(
      hal.api.api.me["notification-preferences"].$put({
        json: { preferences: [{ kind: "commented", channel: "email", enabled: false }] },
      }),
    );
    await ok(
      ivy.api.api.me["notification-preferences"].$put({
        json: { preferences: [{ kind: "assigned", channel: "inApp", enabled: false }] },
      }),
    );
    const prefs = await ok(hal.api.api.me["notification-preferences"].$get());
    expect(prefs.preferences.find((p) => p.kind === "commented" && p.channel === "email")?.enabled).toBe(false);
    expect(prefs.preferences.find((p) => p.kind === "commented" && p.channel === "inApp")?.enabled).toBe(true);

    const task = await ok(
      tasksOf(gus).$post({ param: { orgId: org.id }, json: { title: "Prefs", assigneeIds: [hal.id, ivy.id] } }),
      201,
    );
    // Read so Gus's comment starts a notification of its own rather than folding into the assignment.
    await notifierCaughtUp(backend, org.id);
    await ok(hal.api.api.me.notifications.read.$post({ json: { all: true } }));
    await ok(
      gus.api.api.orgs[":orgId"].tasks[":taskId"].comments.$post({
        param: { orgId: org.id, taskId: task.id },
        json: { body: "A comment" },
      }),
      201,
    );
    await notifierCaughtUp(backend, org.id);
    const halRows = await rowsOf(backend, hal.id, org.id);
    expect(halRows.map((row) => [row.kind, row.emailState])).toEqual([
      ["assigned", expect.stringMatching(/pending|sent/)],
      ["commented", "none"],
    ]);
    // Ivy's assignment is not in her inbox, yet it is mailed to her.
    expect((await inboxOf(ivy)).notifications.map((n) => n.kind)).toEqual(["commented"]);
    const assignedMail = await mailTo(ivy.email, (text) => text.includes("Gus assigned you"));

    // One-click unsubscribe, as a mail provider sends it: no cookie, a form body.
    const unsubscribe = new URL(linkIn(assignedMail, "/api/notifications/unsubscribe"));
    // mailparser reads List-Unsubscribe into `list.unsubscribe.url`.
    expect(JSON.stringify(assignedMail.headers.get("list"))).toContain(unsubscribe.search.slice(1));
    const token = unsubscribe.searchParams.get("token") ?? "";
    const post = (query: string) =>
      fetch(`${backend.url}/api/notifications/unsubscribe?token=${query}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
    // A token re-signed for someone else, or tampered with, is refused and changes nothing.
    const [body, signature] = token.split(".");
    const forged = `${Buffer.from(`${hal.id}:all`).toString("base64url")}.${signature}`;
    expect((await post(forged)).status).toBe(400);
    expect((await post(`${body}.x${signature}`)).status).toBe(400);
    expect((await post(token)).status).toBe(200);
    const ivyPrefs = await ok(ivy.api.api.me["notification-preferences"].$get());
    expect(ivyPrefs.preferences.filter((p) => p.channel === "email").every((p) => !p.enabled)).toBe(true);
    const halPrefs = await ok(hal.api.api.me["notification-preferences"].$get());
    expect(halPrefs.preferences.filter((p) => p.channel === "email" && p.enabled)).toHaveLength(4);
  });

  test("a move between two states of one category reaches watchers, named by the state", async () => {
    const { org, people } = await orgOf(backend, ["Lu", "Mo"]);
    const [lu, mo] = people as [(typeof people)[0], (typeof people)[0]];
    const project = await lu.raw("GET", `/api/orgs/${org.id}/projects/${org.prefix}`);
    const states = (project.body as { states: { id: string; category: string }[] }).states;
    const review = await lu.raw("POST", `/api/orgs/${org.id}/projects/${org.prefix}/states`, {
      name: "Review",
      category: "started",
    });
    const started = states.find((s) => s.category === "started")?.id;
    const created = await lu.raw("POST", `/api/orgs/${org.id}/tasks`, { title: "Columns", stateId: started });
    const task = created.body as { id: string; key: string };
    expect((await mo.raw("PUT", `/api/orgs/${org.id}/tasks/${task.id}/subscription`)).status).toBe(200);
    await notifierCaughtUp(backend, org.id);
    const moved = await lu.raw("POST", `/api/orgs/${org.id}/tasks/${task.id}/move`, {
      stateId: (review.body as { id: string }).id,
    });
    expect(moved.status).toBe(200);
    await notifierCaughtUp(backend, org.id);
    const rows = await rowsOf(backend, mo.id, org.id);
    expect(rows.map((row) => row.kind)).toEqual(["state_changed"]);
    expect(rows[0]?.summary).toContain(`moved ${task.key} to Review`);
  });

  test("tasks deleted with their project do not stall the notifier", async () => {
    const { org, people } = await orgOf(backend, ["Ned", "Oz"]);
    const [ned, oz] = people as [(typeof people)[0], (typeof people)[0]];
    const spare = await ned.raw("POST", `/api/orgs/${org.id}/projects`, { name: "Spare", key: "SPARE" });
    expect(spare.status).toBe(201);
    // Events of a task whose row is gone by the time the notifier reads them.
    await ned.raw("POST", `/api/orgs/${org.id}/tasks`, { title: "Doomed", projectId: "SPARE", assigneeIds: [oz.id] });
    expect((await ned.raw("DELETE", `/api/orgs/${org.id}/projects/SPARE`)).status).toBe(200);
    await ned.raw("POST", `/api/orgs/${org.id}/tasks`, { title: "Kept", assigneeIds: [oz.id] });
    await notifierCaughtUp(backend, org.id);
    const rows = await rowsOf(backend, oz.id, org.id);
    expect(rows.map((row) => row.kind)).toEqual(["assigned"]);
  });

  test("a watcher removed from the org gets nothing and sees nothing of it", async () => {
    const { org, people } = await orgOf(backend, ["Jo", "Kim"]);
    const [jo, kim] = people as [(typeof people)[0], (typeof people)[0]];
    const task = await ok(
      tasksOf(jo).$post({ param: { orgId: org.id }, json: { title: "Gone", assigneeIds: [kim.id] } }),
      201,
    );
    await notifierCaughtUp(backend, org.id);
    expect((await inboxOf(kim)).notifications).toHaveLength(1);
    await ok(jo.api.api.orgs[":orgId"].members[":userId"].$delete({ param: { orgId: org.id, userId: kim.id } }));
    await ok(
      jo.api.api.orgs[":orgId"].tasks[":taskId"].comments.$post({
        param: { orgId: org.id, taskId: task.id },
        json: { body: `Still there, ${mentionOf(kim)}?` },
      }),
      201,
    );
    await notifierCaughtUp(backend, org.id);
    expect(await rowsOf(backend, kim.id, org.id)).toHaveLength(1);
    // The old notification is not shown once Kim has left the org.
    const inbox = await inboxOf(kim);
    expect(inbox.notifications).toHaveLength(0);
    expect(inbox.unreadCount).toBe(0);
  });

  test("bad input is a 400 in the error shape", async () => {
    const user = await backend.signUp("Lee");
    await refused(user.api.api.me.notifications.read.$post({ json: { ids: [] } }), 400);
    await refused(
      user.api.api.me["notification-preferences"].$put({
        // @ts-expect-error: not a kind
        json: { preferences: [{ kind: "nope", channel: "email", enabled: false }] },
      }),
      400,
    );
  });
});
