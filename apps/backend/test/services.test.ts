import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { insertRepoLink } from "@tandem/database";
import {
  type BlobStore,
  DomainError,
  deleteAttachment,
  getMe,
  ignoreCommits,
  partialServices,
  requestResync,
  uploadAttachment,
} from "@tandem/domain";
import { createTestOrg, createTestTask, systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { newId } from "@tandem/util";
import { startTestBackend, type TestBackend } from "./harness.ts";

/** Issue 12 item 5: verbs take `{ ctx, input }`, and their infrastructure comes with the ctx. */
let backend: TestBackend;
let ownerId: string;
beforeAll(async () => {
  backend = await startTestBackend();
  ownerId = (await backend.signUp("Services owner")).id;
});
afterAll(() => backend.stop());

async function kindOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  return error instanceof DomainError ? error.kind : `not a DomainError: ${String(error)}`;
}

function recordingStore() {
  const puts: string[] = [];
  const deletes: string[] = [];
  const store: BlobStore = {
    put: async (key) => {
      puts.push(key);
    },
    delete: async (key) => {
      deletes.push(key);
    },
    signedUrl: async (key) => `signed:${key}`,
  };
  return { store, puts, deletes };
}

async function newRepoLink(orgId: string) {
  return backend.db.transaction((tx) =>
    insertRepoLink(tx, { id: newId("ghr"), orgId, fullName: `octo/services-${uniqueSuffix()}` }),
  );
}

describe("ctx.services", () => {
  test("an upload is checked against ctx.services.limits and stored in ctx.services.store; a delete removes it there", async () => {
    const org = await createTestOrg(backend.db, { ownerId, prefix: "SVC" });
    const task = await createTestTask(backend.db, org.id);
    const { store, puts, deletes } = recordingStore();
    const ctx = await systemCtx(backend.db, org.id, {
      services: { store, limits: { maxBytes: 8, orgQuotaBytes: 64 } },
    });
    const file = (bytes: number) => ({
      taskId: task.id,
      filename: "note.txt",
      contentType: "text/plain",
      data: new Uint8Array(bytes),
    });

    expect(await kindOf(uploadAttachment({ ctx, input: file(9) }))).toBe("TOO_LARGE");
    expect(puts).toEqual([]);

    const attachment = await uploadAttachment({ ctx, input: file(8) });
    expect(puts).toEqual([`orgs/${org.id}/tasks/${task.id}/${attachment.id}`]);

    await deleteAttachment({ ctx, input: { taskId: task.id, attachmentId: attachment.id } });
    expect(deletes).toEqual(puts);
  });

  test("a resync is queued through ctx.services.enqueue, only for the org's own repository", async () => {
    const org = await createTestOrg(backend.db, { ownerId, prefix: "SVR" });
    const other = await createTestOrg(backend.db, { ownerId, prefix: "SVO" });
    const repo = await newRepoLink(org.id);
    const foreign = await newRepoLink(other.id);
    const queued: { repoId: string }[] = [];
    const ctx = await systemCtx(backend.db, org.id, {
      services: {
        enqueue: {
          resync: async (data) => queued.push(data),
          retryDelivery: async () => 0,
          importData: async () => 0,
        },
      },
    });

    await requestResync({ ctx, input: { repoId: repo.id } });
    expect(queued).toEqual([{ repoId: repo.id }]);
    expect(await kindOf(requestResync({ ctx, input: { repoId: foreign.id } }))).toBe("NOT_FOUND");
    expect(queued).toEqual([{ repoId: repo.id }]);
  });

  test("a service the process was not given is refused as UNAVAILABLE, never called", async () => {
    const org = await createTestOrg(backend.db, { ownerId, prefix: "SVU" });
    const repo = await newRepoLink(org.id);
    const ctx = await systemCtx(backend.db, org.id);
    expect(await kindOf(requestResync({ ctx, input: { repoId: repo.id } }))).toBe("UNAVAILABLE");
  });

  test("a user's own verbs take a UserCtx: getMe reads the user the context names", async () => {
    const ctx = { db: backend.db, notify: ignoreCommits, services: partialServices(), userId: ownerId };
    const me = await getMe({ ctx, input: undefined });
    expect(me.user.id).toBe(ownerId);
    expect(me.orgs.map((org) => org.prefix)).toContain("SVC");
  });
});
