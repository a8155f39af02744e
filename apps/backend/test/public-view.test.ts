/** What the public channel sees of each event (toPublicEvent), without a server or a database. */
import { describe, expect, test } from "bun:test";
import { PUBLIC_EXCERPT_CHARS } from "@tandem/contracts";
import { taskFixture } from "@tandem/domain/testing";
import { toPublicEvent } from "../src/realtime/public-view.ts";

const PROJECT = "prj_public";
/** The public channel's settings where the public project shows `fields`. */
const showing = (fields: string[]) => ({
  publicBoard: true,
  publicFields: fields,
  projects: new Map([[PROJECT, fields]]),
});
const shown = showing(["status"]);
const task = taskFixture({
  id: "task_1",
  projectId: PROJECT,
  visibility: "public",
  status: "in_progress",
  priority: "urgent",
  description: "internal notes",
  assigneeIds: ["user_1"],
  createdBy: "user_1",
});

describe("toPublicEvent", () => {
  test("a public task is redacted to the org's public fields", () => {
    for (const type of ["CREATE_TASK", "UPDATE_TASK"] as const) {
      const view = toPublicEvent({ type, payload: { task } }, shown);
      expect(view?.type).toBe(type);
      expect(view?.data).toEqual({
        task: {
          id: "task_1",
          key: "TASK_1",
          number: 1,
          title: "task_1",
          rank: task.rank,
          version: 1,
          visibility: "public",
          projectId: PROJECT,
          stateId: task.stateId,
          status: "in_progress",
          createdAt: task.createdAt,
          updatedAt: task.updatedAt,
        },
      });
    }
  });

  test("a shown description is cut to an excerpt", () => {
    const long = taskFixture({
      id: "task_2",
      projectId: PROJECT,
      visibility: "public",
      description: "x".repeat(PUBLIC_EXCERPT_CHARS + 50),
    });
    const view = toPublicEvent({ type: "UPDATE_TASK", payload: { task: long } }, showing(["description"]));
    expect(view?.data).toMatchObject({
      task: { description: "x".repeat(PUBLIC_EXCERPT_CHARS), descriptionTruncated: true },
    });
  });

  test("a task made private, or deleted, is a DELETE carrying only its id, key and number", () => {
    const hidden = { ...task, visibility: "private" as const };
    const expected = { type: "DELETE_TASK" as const, data: { task: { id: "task_1", key: "TASK_1", number: 1 } } };
    expect(toPublicEvent({ type: "UPDATE_TASK", payload: { task: hidden } }, shown)).toEqual(expected);
    expect(toPublicEvent({ type: "CREATE_TASK", payload: { task: hidden } }, shown)).toEqual(expected);
    expect(toPublicEvent({ type: "DELETE_TASK", payload: { task } }, shown)).toEqual(expected);
  });

  test("nothing of a task in a project without a public board passes, not even its key", () => {
    const hidden = { ...task, projectId: "prj_private" };
    for (const type of ["CREATE_TASK", "UPDATE_TASK", "DELETE_TASK"] as const) {
      expect(toPublicEvent({ type, payload: { task: hidden } }, shown)).toBeNull();
    }
    const closed = { ...shown, projects: new Map() };
    expect(toPublicEvent({ type: "UPDATE_TASK", payload: { task } }, closed)).toBeNull();
  });

  test("labels and categories pass only when a public project shows them", () => {
    const label = { id: "label_1", orgId: "org_test", name: "bug", color: "#f00", createdAt: task.createdAt };
    expect(toPublicEvent({ type: "CREATE_LABEL", payload: { label } }, shown)).toBeNull();
    expect(toPublicEvent({ type: "CREATE_LABEL", payload: { label } }, showing(["labels"]))).toEqual({
      type: "CREATE_LABEL",
      data: { label },
    });
    const category = { ...label, id: "category_1", name: "Ops" };
    expect(toPublicEvent({ type: "DELETE_CATEGORY", payload: { category } }, shown)).toBeNull();
    expect(toPublicEvent({ type: "DELETE_CATEGORY", payload: { category } }, showing(["category"]))).toEqual({
      type: "DELETE_CATEGORY",
      data: { category },
    });
  });

  test("an org change shows only the org's public face; comments and admin events never pass", () => {
    const org = {
      id: "org_test",
      name: "Acme",
      slug: "acme",
      prefix: "AC",
      publicBoard: true,
      publicFields: ["status" as const],
      createdBy: "user_1",
      createdAt: task.createdAt,
      updatedAt: task.updatedAt,
    };
    expect(toPublicEvent({ type: "UPDATE_ORG", payload: { org } }, shown)).toEqual({
      type: "UPDATE_ORG",
      data: { org: { id: "org_test", name: "Acme", slug: "acme", prefix: "AC", publicFields: ["status"] } },
    });
    expect(toPublicEvent({ type: "UPDATE_MEMBER", payload: { userIds: ["user_1"] } }, shown)).toBeNull();
    expect(toPublicEvent({ type: "CREATE_MEMBER", payload: { userId: "user_1", teamIds: [] } }, shown)).toBeNull();
  });
});
