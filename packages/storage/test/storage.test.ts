import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createStorage, type Storage, verifyDownload } from "../src/index.ts";
import { startS3StandIn, tempDirs } from "../src/testing.ts";

// A real S3-compatible server on loopback for the S3 backend; a temp directory for local disk.
const dirs = tempDirs("tandem-storage-");
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

const backends: [string, () => Storage][] = [
  [
    "local disk",
    () => createStorage({ localDir: tempDir(), signingSecret: "s".repeat(32), publicBaseUrl: "http://api.test" }),
  ],
  [
    "S3 (minio client against s3rver)",
    () =>
      createStorage({
        url: s3Url,
        accessKey: "S3RVER",
        secretKey: "S3RVER",
        bucket: "tandem-test",
        localDir: "unused",
        signingSecret: "unused",
        publicBaseUrl: "unused",
      }),
  ],
];

for (const [name, make] of backends) {
  describe(name, () => {
    test("put, get, exists, signed URL, delete", async () => {
      const storage = make();
      expect(await storage.ping()).toBe(true);
      const key = `orgs/org_x/tasks/task_y/${crypto.randomUUID()}`;
      const data = new TextEncoder().encode("hello attachments");
      await storage.put(key, data, "text/plain");
      expect(await storage.exists(key)).toBe(true);
      expect(new TextDecoder().decode((await storage.get(key)) ?? new Uint8Array())).toBe("hello attachments");
      const url = await storage.signedUrl(key, 60);
      if (storage.kind === "s3") {
        const fetched = await fetch(url);
        expect(await fetched.text()).toBe("hello attachments");
      } else {
        const params = new URL(url).searchParams;
        expect(verifyDownload("s".repeat(32), key, Number(params.get("expires")), params.get("sig") ?? "")).toBe(true);
        expect(verifyDownload("s".repeat(32), key, Number(params.get("expires")), "forged")).toBe(false);
      }
      await storage.delete(key);
      expect(await storage.exists(key)).toBe(false);
      expect(await storage.get(key)).toBeNull();
      await expect(storage.put("../../etc/passwd", data, "text/plain")).rejects.toThrow();
    });
  });
}
