/** A project's public board applies the org's public channel: only its own project's tasks. */
import { describe, expect, test } from "bun:test";
import type { TPublicEventMessage, TPublicTask } from "@tandem/contracts";
import { QueryClient } from "@tanstack/react-query";
import { applyPublicEvent } from "../src/lib/public-board.ts";
import { keys } from "../src/lib/queries.ts";

const board = { slug: "acme", projectKey: "RMP", projectId: "prj_rmp" };
const card = (id: string, projectId: string): TPublicTask => ({
  id,
  key: `RMP-${id}`,
  number: 1,
  title: id,
  rank: "a",
  version: 1,
  projectId,
});
const event = (type: "CREATE_TASK" | "UPDATE_TASK", task: TPublicTask): TPublicEventMessage => ({
  type,
  data: { task },
  scope: "CHANNEL",
  meta: { ts: 0, orgId: "org_acme", channel: "public" },
});

function cached(client: QueryClient) {
  return (client.getQueryData<TPublicTask[]>(keys.publicTasks(board.slug, board.projectKey)) ?? []).map((t) => t.id);
}

describe("applyPublicEvent", () => {
  test("a task of the board's project is upserted, one of another project is not added", () => {
    const client = new QueryClient();
    applyPublicEvent(client, board, event("CREATE_TASK", card("a", "prj_rmp")), new Set());
    applyPublicEvent(client, board, event("CREATE_TASK", card("b", "prj_docs")), new Set());
    applyPublicEvent(client, board, event("UPDATE_TASK", { ...card("a", "prj_rmp"), title: "renamed" }), new Set());
    expect(cached(client)).toEqual(["a"]);
  });

  test("a task moved to another project leaves the board", () => {
    const client = new QueryClient();
    applyPublicEvent(client, board, event("CREATE_TASK", card("a", "prj_rmp")), new Set());
    applyPublicEvent(client, board, event("UPDATE_TASK", card("a", "prj_docs")), new Set());
    expect(cached(client)).toEqual([]);
  });
});
