import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZAttachment } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { createStorage } from "@tandem/storage";
import { startS3StandIn, tempDirs } from "@tandem/storage/testing";
import { eq } from "drizzle-orm";
import { errorOf, ok, refused, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

const dirs = tempDirs("tandem-att-");
const tempDir = dirs.make;
let s3: Awaited<ReturnType<typeof startS3StandIn>>;
let s3Url = "";
beforeAll(async () => {
  s3 = await startS3StandIn();
  s3Url = s3.url;
});
afterAll(async () => {
  await s3.stop();
  dirs.removeAll();
});

let backendUrl = "";
/** A real multipart upload, as a browser sends it. */
async function upload(user: TestUser, path: string, file: File) {
  const form = new FormData();
  form.set("file", file);
  const response = await fetch(`${backendUrl}${path}`, {
    method: "POST",
    headers: { cookie: user.cookie },
    body: form,
  });
  const body: unknown = await response.json().catch(() => null);
  return { status: response.status, body, headers: response.headers };
}

const BACKENDS = {
  "local disk": () => ({ localDir: tempDir() }),
  "S3 (s3rver)": () => ({
    url: s3Url,
    accessKey: "S3RVER",
    secretKey: "S3RVER",
    bucket: `att-${Date.now()}`,
    localDir: "unused",
  }),
};

for (const [name, storageConfig] of Object.entries(BACKENDS)) {
  /** A new org of `owner`'s with one task in it. */
  async function orgWithTask(owner: TestUser, title: string) {
    const org = await ok(
      owner.api.api.orgs.$post({ json: { name: "Att", slug: `att-${crypto.randomUUID().slice(0, 8)}`, prefix: "AT" } }),
      201,
    );
    const task = await ok(owner.api.api.orgs[":orgId"].tasks.$post({ param: { orgId: org.id }, json: { title } }), 201);
    return { org, task };
  }

  describe(`attachments on ${name}`, () => {
    let backend: TestBackend;
    let config: ReturnType<typeof storageConfig>;
    beforeAll(async () => {
      config = storageConfig();
      backend = await startTestBackend({
        storage: config,
        attachmentLimits: { maxBytes: 64 * 1024, orgQuotaBytes: 100 * 1024 },
      });
      backendUrl = backend.url;
    });
    afterAll(() => backend.stop());

    test("upload → list → download round trip; a signed URL works without a session; delete removes the object", async () => {
      const owner = await backend.signUp("Owner");
      const { org, task } = await orgWithTask(owner, "With a file");
      const base = `/api/orgs/${org.id}/tasks/${task.id}/attachments`;
      const uploaded = await upload(owner, base, new File(["diagram bytes"], "diagram.png", { type: "image/png" }));
      expect(uploaded.status).toBe(201);
      const attachment = ZAttachment.parse(uploaded.body);
      expect(attachment).toMatchObject({ filename: "diagram.png", contentType: "image/png", size: 13 });
      const files = owner.api.api.orgs[":orgId"].tasks[":taskId"].attachments;
      const param = { orgId: org.id, taskId: task.id };
      expect((await ok(files.$get({ param }), 200)).map((a) => a.id)).toEqual([attachment.id]);

      const download = await fetch(`${backend.url}${base}/${attachment.id}/download`, {
        headers: { cookie: owner.cookie },
      });
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("image/png");
      expect(await download.text()).toBe("diagram bytes");

      const { url: signed } = await ok(
        files[":attachmentId"].url.$get({ param: { ...param, attachmentId: attachment.id } }),
        200,
      );
      const viaLink = await fetch(
        signed.startsWith("http://localhost:5468") ? signed.replace("http://localhost:5468", backend.url) : signed,
      );
      expect(await viaLink.text()).toBe("diagram bytes");

      const events = await backend.db.select().from(schema.event).where(eq(schema.event.orgId, org.id));
      expect(events.map((e) => e.type)).toContain("CREATE_ATTACHMENT");

      const [row] = await backend.db.select().from(schema.attachment).where(eq(schema.attachment.id, attachment.id));
      const storage = createStorage({ ...config, signingSecret: "unused", publicBaseUrl: "unused" });
      expect(await storage.exists(row?.storageKey ?? "")).toBe(true);
      await ok(files[":attachmentId"].$delete({ param: { ...param, attachmentId: attachment.id } }), 200);
      expect(await storage.exists(row?.storageKey ?? "")).toBe(false);
      expect(
        (await fetch(`${backend.url}${base}/${attachment.id}/download`, { headers: { cookie: owner.cookie } })).status,
      ).toBe(404);
    });

    test("a non-member gets 404 for another org's file; an oversize upload gets 413 and leaves no object", async () => {
      const owner = await backend.signUp("Owner");
      const stranger = await backend.signUp("Stranger");
      const { org, task } = await orgWithTask(owner, "Private file");
      const base = `/api/orgs/${org.id}/tasks/${task.id}/attachments`;
      const file = ZAttachment.parse(
        (await upload(owner, base, new File(["secret"], "notes.txt", { type: "text/plain" }))).body,
      );
      const outside = await fetch(`${backend.url}${base}/${file.id}/download`, {
        headers: { cookie: stranger.cookie },
      });
      expect(outside.status).toBe(404);
      await refused(
        stranger.api.api.orgs[":orgId"].tasks[":taskId"].attachments[":attachmentId"].url.$get({
          param: { orgId: org.id, taskId: task.id, attachmentId: file.id },
        }),
        404,
      );

      const before = await backend.db.select().from(schema.attachment).where(eq(schema.attachment.orgId, org.id));
      const big = await upload(
        owner,
        base,
        new File([new Uint8Array(80 * 1024)], "big.zip", { type: "application/zip" }),
      );
      expect(big.status).toBe(413);
      expect(errorOf(big).error.code).toBe("PAYLOAD_TOO_LARGE");
      const after = await backend.db.select().from(schema.attachment).where(eq(schema.attachment.orgId, org.id));
      expect(after.length).toBe(before.length);
      const storage = createStorage({ ...config, signingSecret: "unused", publicBaseUrl: "unused" });
      for (const row of after) expect(await storage.exists(row.storageKey)).toBe(true);

      const script = await upload(owner, base, new File(["<script>"], "x.html", { type: "text/html" }));
      expect(script.status).toBe(400);
      // The org quota (100 KiB) stops the third 60 KiB file.
      await upload(owner, base, new File([new Uint8Array(60 * 1024)], "a.pdf", { type: "application/pdf" }));
      const overQuota = await upload(
        owner,
        base,
        new File([new Uint8Array(60 * 1024)], "b.pdf", { type: "application/pdf" }),
      );
      expect(overQuota.status).toBe(413);
    });
  });
}
