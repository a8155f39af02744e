import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TErrorBody } from "@tandem/contracts";
import { createTestOrg } from "@tandem/domain/testing";
import { errorOf, type RawResult, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

// A small limit, so the tests send little: the multipart envelope gets 64 KiB on top of it.
const IMPORT_MAX = 16 * 1024;

type Body = RequestInit["body"] & {};

let backend: TestBackend;
let admin: TestUser;
let path = "";

beforeAll(async () => {
  backend = await startTestBackend({ importMaxBytes: IMPORT_MAX });
  admin = await backend.signUp("Importer");
  const org = await createTestOrg(backend.db, { ownerId: admin.id, prefix: "IA" });
  path = `/api/orgs/${org.id}/imports`;
});
afterAll(async () => {
  await backend.stop();
});

async function post(body: Body, headers: Record<string, string> = {}): Promise<RawResult> {
  const response = await fetch(`${backend.url}${path}`, {
    method: "POST",
    headers: { cookie: admin.cookie, ...headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed, headers: response.headers };
}

function form(fields: Record<string, string | File>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

const csv = (bytes: number) => `Title\n${"a".repeat(bytes - "Title\n\n".length)}\n`;

function expectError(result: RawResult, status: number, code: TErrorBody["error"]["code"], field?: string) {
  expect(result.status).toBe(status);
  const { error } = errorOf(result);
  expect(error.code).toBe(code);
  expect(error.requestId).toBeString();
  if (field) expect(error.field).toBe(field);
}

test("a file one byte over IMPORT_MAX_BYTES is a 413 naming the limit, even inside the envelope's allowance", async () => {
  const mapping = JSON.stringify({ title: "Title" });
  const fits = await post(form({ file: new File([csv(IMPORT_MAX)], "t.csv"), format: "csv", mapping, dryRun: "true" }));
  expect(fits.status).toBe(200);
  const over = await post(
    form({ file: new File([csv(IMPORT_MAX + 1)], "t.csv"), format: "csv", mapping, dryRun: "true" }),
  );
  expectError(over, 413, "PAYLOAD_TOO_LARGE");
  expect(errorOf(over).error.message).toBe(`Import files may be at most ${IMPORT_MAX} bytes`);
});

test("a multipart body far over the limit, sized or streamed without a length, is a 413 in the error shape", async () => {
  const huge = form({ file: new File([csv(IMPORT_MAX * 20)], "t.csv"), format: "csv" });
  expectError(await post(huge), 413, "PAYLOAD_TOO_LARGE");
  const encoded = new Uint8Array(await new Response(huge).arrayBuffer());
  const type = new Response(huge).headers.get("content-type") ?? "";
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= encoded.length) return controller.close();
      controller.enqueue(encoded.subarray(sent, sent + 64 * 1024));
      sent += 64 * 1024;
    },
  });
  expectError(await post(stream, { "content-type": type }), 413, "PAYLOAD_TOO_LARGE");
});

test("malformed mapping JSON, unknown or missing format, a non-multipart body: 400 naming the field", async () => {
  const file = () => new File(["Title\nA\n"], "t.csv");
  const cases: [Body, string][] = [
    [form({ file: file(), format: "csv", mapping: '{"title": "Title"' }), "mapping"],
    [form({ file: file(), format: "csv", mapping: "[1, 2]" }), "mapping"],
    [form({ file: file(), format: "csv", mapping: '{"title": "Title", "extra": "x"}' }), "mapping"],
    [form({ file: file(), format: "xml" }), "format"],
    [form({ file: file(), format: "" }), "format"],
    [form({ file: file() }), "format"],
    [form({ file: file(), format: new File(["csv"], "format.txt") }), "format"],
    [form({ file: file(), format: "csv", dryRun: "maybe" }), "dryRun"],
    [form({ format: "csv" }), "file"],
    [form({ file: "just text", format: "csv" }), "file"],
  ];
  for (const [body, field] of cases) expectError(await post(body), 400, "BAD_REQUEST", field);
  expectError(await post('{"format":"csv"}', { "content-type": "application/json" }), 400, "BAD_REQUEST", "file");
  expectError(
    await post("--x\r\nbroken", { "content-type": "multipart/form-data; boundary=x" }),
    400,
    "BAD_REQUEST",
    "file",
  );
});

test("a hostile Tandem file is refused at upload (dry run or not) with the reason, and no import is queued", async () => {
  const doc = {
    format: "tandem",
    version: 1,
    exportedAt: "2026-05-01T10:00:00.000Z",
    org: { name: "S", slug: "s", prefix: "S" },
    members: [],
    labels: [{ id: "lbl_1", name: "x".repeat(61), color: "#000000" }],
    categories: [],
    tasks: [],
    comments: [],
    activity: [],
    attachments: [],
  };
  const escapedNul = JSON.stringify({ ...doc, labels: [{ id: "lbl_1", name: "Bug", color: "#000000" }] }).replace(
    '"Bug"',
    '"B\\u0000ug"',
  );
  for (const text of [JSON.stringify(doc), escapedNul])
    for (const dryRun of ["true", "false"]) {
      const result = await post(form({ file: new File([text], "x.json"), format: "tandem", dryRun }));
      expectError(result, 400, "BAD_REQUEST", "file");
    }
  const listed = await admin.raw("GET", path);
  expect(listed.body).toEqual([]);
});
