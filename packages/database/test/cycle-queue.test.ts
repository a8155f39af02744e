/**
 * The embedded database's scheduler (CycleQueue) on an in-memory PGlite, with no socket and no
 * server: two clients whose extended-protocol cycles interleave each get their own cycle whole.
 */
import { afterAll, expect, test } from "bun:test";
import { PGlite } from "@electric-sql/pglite";
import { createCycleQueue } from "../src/embedded/cycle-queue.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One frontend message: a type byte, a length, then the fields (strings NUL-terminated). */
function message(type: string, ...fields: (string | number[])[]): Uint8Array {
  const body = fields.flatMap((field) => (typeof field === "string" ? [...encoder.encode(field), 0] : field));
  const length = body.length + 4;
  return new Uint8Array([
    type.charCodeAt(0),
    length >>> 24,
    (length >>> 16) & 255,
    (length >>> 8) & 255,
    length & 255,
    ...body,
  ]);
}
const int16 = (n: number) => [(n >>> 8) & 255, n & 255];
const int32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const textParam = (value: string) => [...int32(encoder.encode(value).length), ...encoder.encode(value)];

/** PGlite that records which message types reach its backend, in order. */
class RecordingPGlite extends PGlite {
  readonly seen: string[] = [];
  override execProtocolRawStream(...args: Parameters<PGlite["execProtocolRawStream"]>) {
    this.seen.push(String.fromCharCode(args[0][0] ?? 0));
    return super.execProtocolRawStream(...args);
  }
}

const db = new RecordingPGlite();
afterAll(() => db.close());

test("a client's Parse/Bind/Execute/Sync cycle is not split by another client's statement", async () => {
  await db.waitReady;
  const queue = createCycleQueue(db);
  const output = new Map<number, string>([
    [1, ""],
    [2, ""],
  ]);
  const send = (client: number, bytes: Uint8Array) =>
    queue.enqueue(client, bytes, (data) => output.set(client, (output.get(client) ?? "") + decoder.decode(data)));

  // Client 1 parses an unnamed two-parameter statement; client 2 parses its own unnamed
  // one-parameter statement before client 1 binds. Interleaved, client 1 would bind client 2's.
  const sent = [
    send(1, message("P", "", "select $1::int + $2::int as total", int16(0))),
    send(2, message("P", "", "select $1::text as echo", int16(0))),
    send(2, message("B", "", "", [...int16(0), ...int16(1), ...textParam("hello"), ...int16(0)])),
    send(1, message("B", "", "", [...int16(0), ...int16(2), ...textParam("40"), ...textParam("2"), ...int16(0)])),
    send(1, message("E", "", int32(0))),
    send(2, message("E", "", int32(0))),
    send(1, message("S")),
    send(2, message("S")),
  ];
  await Promise.all(sent);

  // Client 1's cycle ran whole before client 2's began.
  expect(db.seen.slice(-8)).toEqual(["P", "B", "E", "S", "P", "B", "E", "S"]);
  expect(output.get(1)).toContain("42");
  expect(output.get(2)).toContain("hello");
  for (const text of output.values()) expect(text).not.toContain("bind message supplies");
});
