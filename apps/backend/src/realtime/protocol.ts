import { type TClientMessage, type TWsErrorCode, ZClientMessage } from "@tandem/contracts";

const KNOWN_TYPES = new Set(["SUBSCRIBE", "UNSUBSCRIBE", "PONG", "PING"]);

/** A client frame as a message, or the error to answer it with (the hub counts an offence). */
export function parseClientMessage(
  raw: string | Buffer,
): { ok: true; msg: TClientMessage } | { ok: false; code: TWsErrorCode; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
  } catch {
    return { ok: false, code: "BAD_MESSAGE", message: "Messages must be JSON" };
  }
  const result = ZClientMessage.safeParse(parsed);
  if (result.success) return { ok: true, msg: result.data };
  const type = (parsed as { type?: unknown } | null)?.type;
  if (!KNOWN_TYPES.has(String(type))) {
    return { ok: false, code: "UNKNOWN_TYPE", message: `Unknown message type ${JSON.stringify(type)}` };
  }
  const issue = result.error.issues[0];
  return {
    ok: false,
    code: "BAD_MESSAGE",
    message: `${issue?.path.join(".") || "message"}: ${issue?.message ?? "invalid"}`,
  };
}
