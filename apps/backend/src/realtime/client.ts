import { type TPresenceUser, type TServerMessage, type TWsErrorCode, WS_CLOSE } from "@tandem/contracts";
import type { ServerWebSocket } from "bun";

/** A message to send: `ts` is stamped on sending, the rest of `meta` is optional. */
type Outgoing<M> = M extends { meta: infer Meta } ? Omit<M, "meta"> & { meta?: Partial<Meta> } : never;

/**
 * What a socket carries from its upgrade (Bun's `ws.data`): the handlers are shared by every
 * socket, so nothing per socket is kept but this and the hub's Client.
 */
export type SocketData = {
  user: TPresenceUser | null;
  apiKey: SocketKey | null;
  sessionId: string | null;
  /** When the session expires (0: anonymous). */
  sessionExpiresAt: number;
  /** `?orgId=`: a board page starts on the org's public channel. */
  autoSubscribeOrgId: string | null;
};
export type Socket = ServerWebSocket<SocketData>;

/** Messages a client may send back to back (subscribing to a few channels at once) before pacing applies. */
const BURST = 20;
/** One offence is forgiven per quiet spell this long. */
const FORGIVE_AFTER_MS = 10_000;

/** A room the client is in; the hub owns rooms, the client only keeps references to leave them on close. */
export type RoomRef = { key: string };

/** The API key a socket was opened with (instead of a user): re-checked on every SUBSCRIBE. */
export type SocketKey = { id: string; orgId: string; createdBy: string; permissions: ReadonlySet<string> };

/** One connected socket: identity, flood-control state and its own heartbeat. */
export class Client<R extends RoomRef = RoomRef> {
  readonly id = crypto.randomUUID();
  readonly connectedAt = Date.now();
  lastPing = 0;
  latencyMs: number | null = null;
  lastMessageAt = 0;
  /** Flood control: a bucket of messages, refilled one per minimum interval. */
  tokens = BURST;
  offenceCount = 0;
  lastOffenceAt = 0;
  readonly rooms = new Set<R>();
  /** Rooms this client is catching up to (not yet a member). */
  readonly replays = new Set<R>();
  /** Replay budget: events replayed to this socket in the current minute. */
  private replayed = 0;
  private replayWindowStart = 0;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private deadline: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly ws: Socket) {}

  get user(): TPresenceUser | null {
    return this.ws.data.user;
  }

  /**
   * When the session the socket was opened with expires (0: anonymous). The session is read
   * once, at the upgrade; its end closes the socket (SessionSockets), its expiry is checked.
   */
  get sessionExpiresAt(): number {
    return this.ws.data.sessionExpiresAt;
  }

  /** The API key the socket was opened with (instead of a user); checked on every SUBSCRIBE. */
  get apiKey(): SocketKey | null {
    return this.ws.data.apiKey;
  }

  send(message: Outgoing<TServerMessage>): void {
    this.ws.send(JSON.stringify({ ...message, meta: { ts: Date.now(), ...message.meta } }));
  }

  error(code: TWsErrorCode, message: string, extra: { [detail: string]: unknown } = {}): void {
    this.send({ type: "ERROR", scope: "INDIVIDUAL", data: { code, message, ...extra } });
  }

  /**
   * Flood control for one incoming message: a bucket of BURST messages refilled one per
   * `minIntervalMs`; false when it is empty (an offence for the caller to count).
   */
  admit(minIntervalMs: number): boolean {
    const now = Date.now();
    if (this.offenceCount > 0 && now - this.lastOffenceAt > FORGIVE_AFTER_MS) {
      this.offenceCount -= 1;
      this.lastOffenceAt = now;
    }
    const interval = Math.max(1, minIntervalMs);
    this.tokens = Math.min(BURST, this.tokens + (now - this.lastMessageAt) / interval);
    this.lastMessageAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * PING every interval; close with 4408 exactly `pongTimeoutMs` after the last PONG (or the
   * open). Each socket keeps its own deadline, so the close never waits for a shared sweep.
   */
  startHeartbeat(pingIntervalMs: number, pongTimeoutMs: number): void {
    this.pinger = setInterval(() => {
      this.lastPing = Date.now();
      this.send({ type: "PING", scope: "INDIVIDUAL", data: { ts: this.lastPing } });
    }, pingIntervalMs);
    this.deadline = setTimeout(() => this.ws.close(WS_CLOSE.heartbeatTimeout, "no PONG"), pongTimeoutMs);
  }

  pong(ts: number | undefined): void {
    this.deadline?.refresh();
    if (ts && this.lastPing) this.latencyMs = Date.now() - ts;
  }

  /**
   * Takes `events` from this socket's replay budget (`max` a minute); false when that would
   * exceed it, and the caller answers RESYNC instead: re-subscribing from seq 0 in a loop
   * cannot turn one socket into a stream of database reads.
   */
  takeReplay(events: number, max: number): boolean {
    const now = Date.now();
    if (now - this.replayWindowStart >= 60_000) {
      this.replayWindowStart = now;
      this.replayed = 0;
    }
    if (this.replayed + events > max) return false;
    this.replayed += events;
    return true;
  }

  stopHeartbeat(): void {
    if (this.pinger) clearInterval(this.pinger);
    if (this.deadline) clearTimeout(this.deadline);
    this.pinger = null;
    this.deadline = null;
  }
}
