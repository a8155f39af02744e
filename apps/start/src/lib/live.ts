import {
  SeqCursor,
  type TChannel,
  type TEventMessage,
  type TPresence,
  type TPublicEventMessage,
  type TServerMessage,
  WS_CLOSE,
} from "@tandem/contracts";
import { WebSocket as ReconnectingWebSocket } from "partysocket";
import { onEventSeq, setWsClientId } from "./api.ts";

export type LiveStatus = "connecting" | "connected" | "reconnecting" | "offline";
export type Presence = TPresence[];

type Handlers<E> = {
  onEvent: (message: E) => void;
  onResync: () => void;
  onPresence: (presence: Presence) => void;
  onRevoked: (reason: string) => void;
  /**
   * The first SUBSCRIBED of this subscription. It starts at the hub's latest seq, so whatever
   * changed between the page's own read and this moment never arrives as an event: a page that
   * read before subscribing reads again here.
   */
  onFirstSubscribed?: () => void;
};
/** A channel and its handlers: the public channel carries redacted events, the others the log's. */
export type Listener =
  | ({ channel: "public" } & Handlers<TPublicEventMessage>)
  | ({ channel: "tasks" | "admin" } & Handlers<TEventMessage>);
type Subscription = {
  orgId: string;
  channel: TChannel;
  /** Where to resume; also moved by this tab's own changes, which the hub does not echo. */
  cursor: SeqCursor;
  presence: Presence;
  handlers: Listener;
  subscribed: boolean;
};

/** A batched presence change applied to who is present (by wsClientId, the others only). */
export function applyPresence(
  present: Presence,
  { joined, left }: { joined: TPresence[]; left: TPresence[] },
  self: string | null,
): Presence {
  const byId = new Map(present.map((p) => [p.wsClientId, p]));
  for (const p of joined) if (p.wsClientId !== self) byId.set(p.wsClientId, p);
  for (const p of left) byId.delete(p.wsClientId);
  return [...byId.values()];
}

/**
 * A channel outside the org rooms (the inbox, see use-inbox.ts), attached by code that loads
 * after the board: `open` (re)subscribes on every (re)connect, `handle` takes its messages.
 */
export type ExtraChannel = { open: () => void; handle: (message: TServerMessage) => boolean };

/** The hub closed the socket for a reason a new attempt cannot fix: it waits for a new subscription. */
const FINAL_CLOSES = new Set<number>([WS_CLOSE.sessionEnded, WS_CLOSE.membershipRevoked]);

/**
 * One WebSocket per tab, reconnecting with backoff (partysocket). Subscriptions survive
 * reconnects: each re-subscribes with the last seq it saw, so the hub replays what was missed
 * (or says RESYNC) before going live again. A socket closed because its session ended (4401) or
 * its member was removed (4403) does not reconnect until a page subscribes again.
 */
export class LiveSocket {
  private readonly ws: ReconnectingWebSocket;
  private status: LiveStatus = "connecting";
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private readonly subscriptions = new Map<string, Subscription>();
  private probe: ReturnType<typeof setTimeout> | null = null;
  /** Closed with a final code: nothing reconnects it but a new subscription. */
  private ended = false;
  /** This socket's own id on the hub: presence shows the others. */
  private wsClientId: string | null = null;
  private extra: ExtraChannel | null = null;

  constructor(
    url: string,
    /** How long a socket may stay silent after a liveness probe before it is given up. */
    private readonly probeTimeoutMs = 4000,
  ) {
    this.ws = new ReconnectingWebSocket(`${url.replace(/^http/, "ws")}/ws`, undefined, {
      // 250 ms, doubling to 10 s; jittered per tab so a restarted backend is not hit at once.
      minReconnectionDelay: 250 * (0.75 + Math.random() / 2),
      maxReconnectionDelay: 10_000,
      reconnectionDelayGrowFactor: 2,
      // Generous: a handshake that waits for a busy backend is not a dead network.
      connectionTimeout: 10_000,
      // Never buffered: every subscription is sent again, with its cursor, when the socket opens.
      maxEnqueuedMessages: 0,
      shouldReconnectOnClose: (event) => !FINAL_CLOSES.has(event.code),
    });
    this.ws.addEventListener("open", () => {
      this.ended = false;
      this.setStatus("connected");
      for (const subscription of this.subscriptions.values()) this.sendSubscribe(subscription);
      this.extra?.open();
    });
    this.ws.addEventListener("message", (event) => {
      this.alive();
      this.handle(JSON.parse(String(event.data)) as TServerMessage);
    });
    this.ws.addEventListener("close", (event) => {
      this.stopProbe();
      setWsClientId(null);
      this.ended = FINAL_CLOSES.has(event.code);
      this.setStatus(this.ended || !navigator.onLine ? "offline" : "reconnecting");
      // Signed out (here or elsewhere) or revoked: the pages find out who is signed in now.
      if (event.code === WS_CLOSE.sessionEnded) {
        for (const { handlers } of this.subscriptions.values()) {
          if (handlers.channel !== "public") handlers.onRevoked("session_ended");
        }
      }
    });
    // The browser's network events are hints, not the socket's state: a socket can survive
    // a short offline spell. Check the socket itself and show what it really is.
    window.addEventListener("online", () => {
      if (this.ended) return;
      if (this.ws.readyState === WebSocket.CLOSED) this.reconnectNow();
      else this.checkAlive();
    });
    window.addEventListener("offline", () => this.checkAlive());
  }

  getStatus(): LiveStatus {
    return this.status;
  }

  /** The seq of a change this tab made (`X-Event-Seq`): its echo never comes over the socket. */
  acknowledge(orgId: string, seq: number): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.orgId === orgId) subscription.cursor.acknowledge(seq);
    }
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  subscribe(orgId: string, handlers: Listener): () => void {
    const { channel } = handlers;
    const key = `${orgId}:${channel}`;
    const subscription: Subscription = {
      orgId,
      channel,
      cursor: new SeqCursor(),
      presence: [],
      handlers,
      subscribed: false,
    };
    this.subscriptions.set(key, subscription);
    if (this.ended) this.reconnectNow();
    else this.sendSubscribe(subscription);
    return () => {
      if (this.subscriptions.get(key) !== subscription) return;
      this.subscriptions.delete(key);
      this.send({ type: "UNSUBSCRIBE", orgId, channel });
    };
  }

  /** Attaches the extra channel (one per tab); returns its detach. */
  attach(extra: ExtraChannel): () => void {
    this.extra = extra;
    // A socket closed for good (session ended, member removed) stays closed: the org pages
    // decide that, not the inbox; it resubscribes when they reconnect.
    if (!this.ended) extra.open();
    return () => {
      if (this.extra === extra) this.extra = null;
    };
  }

  /**
   * Sends a PING (the hub answers anything, even in the waiting room); any message back proves
   * the socket alive. No answer within the probe timeout: close it and reconnect.
   */
  private checkAlive(): void {
    if (!this.isOpen()) {
      if (!this.ended) this.setStatus(navigator.onLine ? "reconnecting" : "offline");
      return;
    }
    // Without a subscription the hub would count a PING as an offence; nothing to lose then.
    if (this.probe || (this.subscriptions.size === 0 && !this.extra)) return;
    this.send({ type: "PING", ts: Date.now() });
    this.probe = setTimeout(() => {
      this.probe = null;
      // Silent: give this socket up and open another at once (its close may come late on a dead network).
      this.reconnectNow();
    }, this.probeTimeoutMs);
  }

  /** Something arrived: the socket works, whatever the browser's network events said. */
  private alive(): void {
    this.stopProbe();
    if (this.status !== "connected") this.setStatus("connected");
  }

  private stopProbe(): void {
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
  }

  private isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Skips the backoff: the network is back, or a page subscribed after a final close. */
  private reconnectNow(): void {
    this.stopProbe();
    this.ended = false;
    this.setStatus("reconnecting");
    this.ws.reconnect();
  }

  private sendSubscribe(subscription: Subscription): void {
    this.send({
      type: "SUBSCRIBE",
      orgId: subscription.orgId,
      channel: subscription.channel,
      ...(subscription.cursor.lastSeq !== null ? { afterSeq: subscription.cursor.lastSeq } : {}),
    });
  }

  send(message: unknown): void {
    if (this.isOpen()) this.ws.send(JSON.stringify(message));
  }

  private handle(message: TServerMessage): void {
    if (message.type === "PING") {
      this.send({ type: "PONG", ts: message.data.ts });
      return;
    }
    if (message.type === "CONNECTION_STATUS") {
      this.wsClientId = message.data.wsClientId;
      setWsClientId(message.data.wsClientId);
      return;
    }
    if (this.extra?.handle(message)) return;
    const meta: { orgId?: string; channel?: string } = message.meta;
    const { orgId, channel } = meta;
    const subscription = orgId && channel ? this.subscriptions.get(`${orgId}:${channel}`) : undefined;
    if (!subscription) return;
    switch (message.type) {
      case "SUBSCRIBED":
        subscription.cursor.start(message.data.lastSeq);
        subscription.presence = message.data.present;
        subscription.handlers.onPresence(subscription.presence);
        if (!subscription.subscribed) {
          subscription.subscribed = true;
          subscription.handlers.onFirstSubscribed?.();
        }
        return;
      case "RESYNC":
        subscription.cursor.reset(message.data.lastSeq);
        subscription.handlers.onResync();
        return;
      case "PRESENCE":
        subscription.presence = applyPresence(subscription.presence, message.data, this.wsClientId);
        subscription.handlers.onPresence(subscription.presence);
        return;
      case "UNSUBSCRIBED":
        if (message.data.reason) subscription.handlers.onRevoked(message.data.reason);
        return;
      case "PONG":
      case "ERROR":
      // The inbox channel's, handled above.
      case "INBOX_SUBSCRIBED":
      case "INBOX_UNSUBSCRIBED":
      case "INBOX_RESYNC":
      case "NOTIFICATION":
        return;
      default:
        this.deliver(subscription, message);
    }
  }

  /** An event, once: already applied, or this tab's own change (replayed after a reconnect), is skipped. */
  private deliver({ cursor, handlers }: Subscription, message: TEventMessage | TPublicEventMessage): void {
    const { seq } = message.meta;
    if (seq === undefined || !cursor.accept(seq)) return;
    // The hub renders each channel's own view of an event (the public one redacted).
    if (handlers.channel === "public") handlers.onEvent(message as TPublicEventMessage);
    else handlers.onEvent(message as TEventMessage);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

let shared: LiveSocket | null = null;
export function liveSocket(apiUrl: string): LiveSocket {
  if (!shared) {
    const socket = new LiveSocket(apiUrl);
    onEventSeq((orgId, seq) => socket.acknowledge(orgId, seq));
    shared = socket;
  }
  return shared;
}
