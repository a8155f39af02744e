import {
  type TClientMessage,
  type TInboxClientMessage,
  type TWsErrorCode,
  ZClientMessage,
  ZInboxSubscribeMessage,
  ZInboxUnsubscribeMessage,
} from "@tandem/contracts";

/** An inbox frame (`channel: "inbox"`, no org) as the hub's own message type; null for any other frame. */
function inboxMessage(parsed: unknown): { ok: true; msg: TInboxClientMessage } | { ok: false; message: string } | null {
  if ((parsed as { channel?: unknown } | null)?.channel !== "inbox") return null;
  const type = (parsed as { type?: unknown }).type;
  const schema =
    type === "SUBSCRIBE" ? ZInboxSubscribeMessage : type === "UNSUBSCRIBE" ? ZInboxUnsubscribeMessage : null;
  if (!schema) return null;
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, message: `${issue?.path.join(".") || "message"}: ${issue?.message ?? "invalid"}` };
  }
  return {
    ok: true,
    msg:
      result.data.type === "SUBSCRIBE"
        ? { type: "SUBSCRIBE_INBOX", afterSeq: "afterSeq" in result.data ? result.data.afterSeq : undefined }
        : { type: "UNSUBSCRIBE_INBOX" },
  };
}

const KNOWN_TYPES = new Set(["SUBSCRIBE", "UNSUBSCRIBE", "PONG", "PING"]);

/** A client frame as a message, or the error to answer it with (the hub counts an offence). */
export function parseClientMessage(
  raw: string | Buffer,
): { ok: true; msg: TClientMessage | TInboxClientMessage } | { ok: false; code: TWsErrorCode; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
  } catch {
    return { ok: false, code: "BAD_MESSAGE", message: "Messages must be JSON" };
  }
  const inbox = inboxMessage(parsed);
  if (inbox) return inbox.ok ? inbox : { ok: false, code: "BAD_MESSAGE", message: inbox.message };
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
