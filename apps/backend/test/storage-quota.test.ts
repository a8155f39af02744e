import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZAttachment } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { type BlobStore, uploadAttachment } from "@tandem/domain";
import { createTestTask, systemCtx } from "@tandem/domain/testing";
import { tempDirs } from "@tandem/storage/testing";
import { and, eq, isNull, sum } from "drizzle-orm";
import { errorOf, ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

/** Issue 10 item 12: the org quota holds under concurrent uploads. */
const FILE = 64 * 1024;
const QUOTA = 8 * FILE;
const limits = { maxBytes: FILE, orgQuotaBytes: QUOTA };

const dirs = tempDirs("tandem-quota-");
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ storage: { localDir: dirs.make() }, attachmentLimits: limits });
});
afterAll(async () => {
  await backend.stop();
  dirs.removeAll();
});

async function upload(user: TestUser, path: string, name: string) {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(FILE)], name, { type: "application/pdf" }));
  const response = await fetch(`${backend.url}${path}`, {
    method: "POST",
    headers: { cookie: user.cookie },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as unknown, headers: response.headers };
}

async function stored(orgId: string) {
  const [live] = await backend.db
    .select({ bytes: sum(schema.attachment.size) })
    .from(schema.attachment)
    .where(and(eq(schema.attachment.orgId, orgId), isNull(schema.attachment.deletedAt)));
  const [counter] = await backend.db.select().from(schema.orgStorage).where(eq(schema.orgStorage.orgId, orgId));
  return { live: Number(live?.bytes ?? 0), reserved: counter?.usedBytes ?? 0 };
}

async function newOrg() {
  const owner = await backend.signUp("Owner");
  const slug = `q-${crypto.randomUUID().slice(0, 10)}`;
  const org = await ok(owner.api.api.orgs.$post({ json: { name: "Quota", slug, prefix: "Q" } }), 201);
  const task = await ok(
    owner.api.api.orgs[":orgId"].tasks.$post({ param: { orgId: org.id }, json: { title: "Files" } }),
    201,
  );
  return { owner, org, taskId: task.id, base: `/api/orgs/${org.id}/tasks/${task.id}/attachments` };
}

describe("org storage quota", () => {
  test("40 concurrent uploads of quota/8 store exactly the quota; the rest get 413", async () => {
    const { owner, org, taskId, base } = await newOrg();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => upload(owner, base, `f${i}.pdf`)));
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 413);
    expect(created.length).toBe(8);
    expect(refused.length).toBe(32);
    const [first413] = refused;
    if (!first413) throw new Error("no upload was refused");
    expect(errorOf(first413).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", requestId: expect.any(String) });
    expect(await stored(org.id)).toEqual({ live: QUOTA, reserved: QUOTA });

    // Deleting gives the space back.
    const first = ZAttachment.parse(created[0]?.body).id;
    await ok(
      owner.api.api.orgs[":orgId"].tasks[":taskId"].attachments[":attachmentId"].$delete({
        param: { orgId: org.id, taskId, attachmentId: first },
      }),
      200,
    );
    expect(await stored(org.id)).toEqual({ live: QUOTA - FILE, reserved: QUOTA - FILE });
    expect((await upload(owner, base, "again.pdf")).status).toBe(201);
    expect((await upload(owner, base, "over.pdf")).status).toBe(413);
  });

  test("a reservation is released when storing fails", async () => {
    const { org } = await newOrg();
    const failing: BlobStore = {
      put: () => Promise.reject(new Error("disk full")),
      delete: () => Promise.resolve(),
      signedUrl: () => Promise.resolve(""),
    };
    const ctx = await systemCtx(backend.db, org.id, { services: { store: failing, limits } });
    const task = await createTestTask(backend.db, org.id);
    const input = {
      taskId: task.id,
      filename: "x.pdf",
      contentType: "application/pdf",
      data: new Uint8Array(FILE),
    };
    await expect(uploadAttachment({ ctx, input })).rejects.toThrow("disk full");
    expect(await stored(org.id)).toEqual({ live: 0, reserved: 0 });
  });
});
